import { ModelConfigError } from "../errors";

/** Where an NLI model puts entailment and contradiction among its outputs. */
export interface NliLabelIds {
  entailment: number;
  contradiction: number;
  numLabels: number;
}

/**
 * The entailment and contradiction output indices, with the Python pipeline's rule: entailment is the
 * first label whose lower-case name starts with `entail`; contradiction is the last output when
 * entailment is index 0, else index 0 (so two-label `entailment` / `not_entailment` models work).
 */
export function nliLabelIds(label2id: Record<string, number> | undefined | null): NliLabelIds {
  const entries = Object.entries(label2id ?? {});
  const found = entries.find(([label]) => label.toLowerCase().startsWith("entail"));
  if (!found) {
    const names = entries.map(([label]) => label);
    throw new ModelConfigError(
      `the model has no entailment label (its labels are ${names.length ? names.join(", ") : "none"}): ` +
        `zero-shot classification needs an NLI model whose config.json label2id names an "entailment" output, ` +
        `e.g. facebook/bart-large-mnli`,
    );
  }
  const ids = entries.map(([, id]) => id);
  const numLabels = Math.max(...ids) + 1;
  const entailment = found[1];
  return { entailment, contradiction: entailment === 0 ? numLabels - 1 : 0, numLabels };
}
