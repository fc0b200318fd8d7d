/** `zero-shot make-model`: writes a random-weight NLI model for offline runs, tests and benchmarks. */
import { InputError } from "../errors";
import { generateNliModel, isPresetName, MODEL_PRESETS } from "../models/generate/generate";
import { parseCommandArgs } from "./args";
import { filePath, processIo, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot make-model PRESET [--out DIR]

Writes a model with fixed random weights in the transformers.js layout (config.json, tokenizer.json,
tokenizer_config.json, onnx/model.onnx). Its scores mean nothing about language: it is for running
everything offline (tests, notebooks in CI, benchmarks).

Presets:
${Object.entries(MODEL_PRESETS)
  .map(([name, preset]) => `  ${name.padEnd(22)} ${preset.description}`)
  .join("\n")}

Options:
  --out DIR    where to write it (default: models/PRESET)
`;

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: "string" }, help: { type: "boolean", short: "h" } }, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [preset] = positionals;
  if (!preset || !isPresetName(preset)) {
    throw new InputError(`${preset ? `unknown preset "${preset}"` : "no preset given"}: choose one of ${Object.keys(MODEL_PRESETS).join(", ")}`);
  }
  const out = filePath(io, values.out ?? `models/${preset}`);
  const started = Date.now();
  generateNliModel(preset, out);
  io.stderr.write(`wrote ${preset} to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}
