/**
 * One error type per kind of failure. Every message says what was wrong and what to do about it,
 * so the CLI, the server and the notebooks can show it to a person as it is.
 */
export class ZeroShotError extends Error {
  /** A stable, machine-readable name of the kind of failure. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    ZeroShotError.onCreate?.(this);
  }

  /** Called with each new error; notebooks use it to show a project error as one line (src/notebook/errors.ts). */
  static onCreate: ((error: ZeroShotError) => void) | undefined;
}

/** The caller passed something unusable: no labels, a template without `{}`, a malformed payload. */
export class InputError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_input", message, options);
  }
}

/** The model's files are missing or unreadable (a wrong directory, offline without a cached copy). */
export class ModelLoadError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("model_load_failed", message, options);
  }
}

/** The model loaded but cannot do NLI zero-shot classification (no entailment label, ...). */
export class ModelConfigError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("model_config", message, options);
  }
}

/** The model failed while scoring (a runtime failure of the forward pass). */
export class InferenceError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("inference_failed", message, options);
  }
}

/** A dataset could not be fetched or is not the file expected (download failure, checksum mismatch). */
export class DatasetError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("dataset_failed", message, options);
  }
}
