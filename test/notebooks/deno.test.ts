/** Every notebook, run headless through real Jupyter on the Deno kernel (notebookRuns.ts). */
import { describeNotebookRuns } from "./notebookRuns";

describeNotebookRuns("deno");
