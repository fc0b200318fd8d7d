import { InputError } from "../errors";

/** The Hugging Face pipeline's default hypothesis template. */
export const DEFAULT_HYPOTHESIS_TEMPLATE = "This example is {}.";

/** Throws unless the template has the `{}` placeholder that the label replaces. */
export function validateTemplate(template: string): string {
  if (typeof template !== "string" || !template.includes("{}")) {
    throw new InputError(
      `hypothesis_template ${JSON.stringify(template)} has no "{}" placeholder for the label: ` +
        `write it as, e.g., "This example is {}."`,
    );
  }
  return template;
}

/**
 * The hypothesis that states a label, as the Python pipeline builds it (`template.format(label)`):
 * every `{}` is replaced. `hypothesisFor("Health")` is "This example is Health.".
 */
export function hypothesisFor(label: string, template: string = DEFAULT_HYPOTHESIS_TEMPLATE): string {
  validateTemplate(template);
  return template.split("{}").join(label);
}

/** One hypothesis per label, in label order. */
export function hypothesesFor(labels: readonly string[], template: string = DEFAULT_HYPOTHESIS_TEMPLATE): string[] {
  validateTemplate(template);
  return labels.map((label) => hypothesisFor(label, template));
}

/**
 * Candidate labels from an array or a comma-separated string: split on commas, trimmed, empty parts
 * dropped. `parseCandidateLabels("Health, Finance,")` is `["Health", "Finance"]`.
 */
export function parseCandidateLabels(labels: string | readonly string[] | undefined | null): string[] {
  if (labels === undefined || labels === null) {
    throw new InputError(noLabelsMessage("no candidate_labels were given"));
  }
  let parsed: string[];
  if (typeof labels === "string") {
    parsed = labels.split(",").map((label) => label.trim()).filter((label) => label.length > 0);
  } else if (Array.isArray(labels)) {
    parsed = labels.map((label, index) => {
      if (typeof label !== "string") {
        throw new InputError(`candidate_labels[${index}] is ${JSON.stringify(label)}, not a string: pass labels as text`);
      }
      return label.trim();
    });
    const emptyAt = parsed.findIndex((label) => label.length === 0);
    if (emptyAt >= 0) throw new InputError(`candidate_labels[${emptyAt}] is empty: remove it or give it a name`);
  } else {
    throw new InputError(`candidate_labels must be a list of strings or a comma-separated string, not ${typeof labels}`);
  }
  if (parsed.length === 0) throw new InputError(noLabelsMessage("candidate_labels is empty"));
  return parsed;
}

function noLabelsMessage(what: string): string {
  return `${what}: pass at least one label, e.g. --labels Health,Finance or "candidate_labels": ["Health", "Finance"]`;
}

/** Texts to classify: one string or a non-empty array of strings. */
export function parseSequences(inputs: string | readonly string[] | undefined | null): string[] {
  if (typeof inputs === "string") return [inputs];
  if (!Array.isArray(inputs)) {
    throw new InputError(`inputs must be a string or a list of strings, not ${inputs === null ? "null" : typeof inputs}`);
  }
  if (inputs.length === 0) throw new InputError("inputs is an empty list: pass at least one text to classify");
  inputs.forEach((text, index) => {
    if (typeof text !== "string") {
      throw new InputError(`inputs[${index}] is ${JSON.stringify(text)}, not a string: every text to classify must be a string`);
    }
  });
  return [...inputs];
}
