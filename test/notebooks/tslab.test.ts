/** Every notebook, run headless through real Jupyter on the tslab kernel (notebookRuns.ts). */
import { describeNotebookRuns } from "./notebookRuns";

describeNotebookRuns("tslab");
