/**
 * zero-shot-ts: zero-shot text classification by natural language inference.
 *
 * The user-facing API. Subpaths: `zero-shot-ts/sagemaker` (deploy, invoke, batch transform, clean up,
 * local mode), `zero-shot-ts/charts` (Vega-Lite charts), `zero-shot-ts/notebook` (notebook helpers),
 * `zero-shot-ts/testing` (random-weight test models).
 */
// Errors: one class per kind of failure.
export { ZeroShotError, InputError, ModelLoadError, ModelConfigError, InferenceError, DatasetError } from "./errors";

// The JumpStart / Hugging Face payload, shared by every path.
export type { ZeroShotRequest, ZeroShotParameters, ZeroShotResult, ClassifyOptions } from "./payload/types";
export { parseZeroShotRequest, toZeroShotRequest } from "./payload";

// The NLI framework: labels become hypotheses; entailment logits become label scores.
export { DEFAULT_HYPOTHESIS_TEMPLATE, hypothesisFor, hypothesesFor } from "./nli/hypotheses";
export { nliLabelIds, type NliLabelIds } from "./nli/labels";
export { softmax, labelScores, type PairLogits } from "./nli/scores";

// Classification over any backend.
export type { NliScorer, ZeroShotBackend, PremiseHypothesisPair, ProgressCallback, ClassifyCallOptions } from "./classification/contract";
export { ZeroShotClassifier } from "./classification/classifier";
export { loadClassifier } from "./backends/local/loadClassifier";
export { LocalNliModel, type LocalModelOptions } from "./backends/local/localNliModel";
export { DEFAULT_MODEL, MODEL_ALIASES, resolveModel, type ModelDtype } from "./models/resolve";

// Scorer decorators: the on-disk score cache and the micro-batcher.
export { CachedScorer, type CacheOptions, type CacheStats } from "./scorers/cachedScorer";
export { MicroBatchingScorer, type MicroBatchOptions } from "./scorers/microBatchingScorer";

// A SageMaker endpoint as a backend (real-time InvokeEndpoint).
export { createRuntimeClient, invokeZeroShotEndpoint, type InvokeOptions } from "./backends/sagemaker/runtimeClient";
export {
  EndpointError,
  EndpointNotFoundError,
  EndpointValidationError,
  EndpointModelError,
  EndpointUnavailableError,
  EndpointResponseError,
} from "./backends/sagemaker/endpointErrors";
export { EndpointClassifier, type EndpointClassifierOptions } from "./backends/sagemaker/endpointClassifier";

// Serving a model like a SageMaker endpoint.
export { startInferenceServer, type InferenceServer, type InferenceServerOptions } from "./server/httpServer";
export { WorkerNliScorer, loadWorkerClassifier, type WorkerScorerOptions } from "./backends/worker/workerNliScorer";

// Data and evaluation.
export { loadResolutions, loadLabelledCsv, type LabelledDataset, type LoadOptions } from "./data/load";
export { fetchDataset } from "./data/fetch";
export { RESOLUTION_LABELS, RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SAMPLE_PATH } from "./data/resolutions";
export { describeLeftOut } from "./data/categories";
export {
  evaluate,
  measureTemplate,
  selectRows,
  type Evaluation,
  type EvaluationData,
  type EvaluateOptions,
  type TemplateEvaluation,
  type Prediction,
} from "./evaluation/evaluate";
export { evaluateResults, type EvaluateResultsOptions } from "./evaluation/fromResults";
export { summaryFrame, perClassFrame, confusionFrame, predictionsFrame, evaluationToJSON } from "./evaluation/results";
export { renderHtmlReport, writeHtmlReport, type ReportOptions } from "./report/htmlReport";
export * as charts from "./charts";
