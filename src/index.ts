/** zero-shot-ts: zero-shot text classification by natural language inference. */
export * from "./errors";
export * from "./payload";
export * from "./nli/hypotheses";
export * from "./nli/labels";
export * from "./nli/scores";
export * from "./classify";
export * from "./classifier";
export * from "./models/resolve";
export { LocalNliModel, DEFAULT_BATCH_SIZE, type LocalModelOptions } from "./backends/local/localNliModel";
export { ensureTestModel, generateNliModel, MODEL_PRESETS, type PresetName } from "./models/generate/generate";
