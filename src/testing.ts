/**
 * `zero-shot-ts/testing`: random-weight NLI models with real architectures and tokenizers, for tests,
 * demos and offline notebooks. Their scores mean nothing.
 */
export { ensureTestModel, generateNliModel, MODEL_PRESETS, type PresetName } from "./models/generate/generate";
