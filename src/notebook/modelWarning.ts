/** The warning of the model a notebook runs on, set by `configureNotebook`, shown on every chart and answer. */
let warning: string | undefined;

/** `RANDOM_MODEL_WARNING` while the notebook's model is a random test model, else undefined. */
export function currentModelWarning(): string | undefined {
  return warning;
}

/** Sets (or, with undefined, clears) the warning; `configureNotebook` calls it. */
export function setModelWarning(value: string | undefined): void {
  warning = value;
}
