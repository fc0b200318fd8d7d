/** The script a `WorkerNliScorer`'s thread runs: the plain worker, without hooks. */
import { runNliWorker } from "./nliWorker";

runNliWorker();
