/** `zero-shot pull`: downloads a hub model into the shared cache once, saying how big it is first, so a room can share it. */
import { defaultCacheDir, LocalNliModel } from "../backends/local/localNliModel";
import { InputError } from "../errors";
import { formatBytes } from "../io/bytes";
import { planDownload } from "../models/hubFiles";
import { randomModelWarning } from "../models/generate/marker";
import { DEFAULT_MODEL, MODEL_ALIASES, parseDtype, resolveModel } from "../models/resolve";
import { parseCommandArgs } from "./args";
import { filePath, processIo, type CliIo, type OutputStream } from "./io";
import { downloadProgress } from "./progress";

export const USAGE = `Usage: zero-shot pull [MODEL] [--dtype fp32|q8] [--cache-dir DIR]

Downloads a hub model into the download cache, once, after saying how big it is, and prints the folder
that holds it. Prepare a class with it: pull on one machine, then share that folder (a network drive, a
USB stick) and point every machine at it with ZERO_SHOT_CACHE=<cache dir> or --model <folder>.

Options:
      --dtype fp32|q8     weight precision (default fp32; q8 is about 4x smaller, with scores that differ
                          slightly from fp32's)
      --cache-dir DIR     where to keep it (default: $ZERO_SHOT_CACHE, else ~/.cache/zero-shot-ts/models)
  -h, --help              show this help

MODEL is a hub id or short name (default ${DEFAULT_MODEL}); short names: ${Object.keys(MODEL_ALIASES).join(", ")}.

Examples:
  zero-shot pull bart-large-mnli --dtype q8
  ZERO_SHOT_CACHE=/srv/class/models zero-shot pull bart-large-mnli
`;

const OPTIONS = {
  dtype: { type: "string" },
  "cache-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** On a terminal, the redrawn bar; in a log, one line per finished file. */
function pullProgress(out: OutputStream) {
  if (out.isTTY) return downloadProgress({ stream: out });
  return (info: Parameters<ReturnType<typeof downloadProgress>>[0]) => {
    if (info.status === "done" && "file" in info) out.write(`downloaded ${info.file}\n`);
  };
}

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new InputError(`pull takes one model, not ${positionals.length}: zero-shot pull bart-large-mnli`);
  const name = positionals[0] ?? DEFAULT_MODEL;
  const dtype = parseDtype(values.dtype);
  const source = resolveModel(name, io.cwd);
  if (source.kind === "directory") throw new InputError(`${name} is a local folder already: nothing to pull (use it with --model ${name})`);
  const cacheDir = filePath(io, values["cache-dir"]) ?? defaultCacheDir(io.env);
  const plan = await planDownload(source.id, dtype, cacheDir, io.env);
  if (plan.cached) {
    io.stdout.write(`${source.id} (${dtype}) is in the cache already: ${formatBytes(plan.totalBytes)}, nothing to download\n`);
  } else {
    const list = plan.files.map(({ file, bytes }) => `  ${file.padEnd(28)} ${formatBytes(bytes).padStart(9)}`).join("\n");
    io.stdout.write(`${source.id} (${dtype}): ${formatBytes(plan.totalBytes)} to download into ${cacheDir}\n${list}\n`);
  }
  const model = await LocalNliModel.load(source.id, { dtype, cacheDir, offline: plan.cached, env: io.env, onDownloadProgress: pullProgress(io.stderr) });
  const warning = randomModelWarning(model);
  await model.dispose();
  io.stdout.write(
    `${plan.folder}\n` +
      `  loads with: zero-shot classify "..." --labels A,B --model ${plan.folder}${dtype === "fp32" ? "" : ` --dtype ${dtype}`}\n` +
      `  or share ${cacheDir} and set ZERO_SHOT_CACHE=${cacheDir} (notebooks: ZERO_SHOT_MODEL=${source.name}${dtype === "fp32" ? "" : `, ZERO_SHOT_DTYPE=${dtype}`})\n` +
      (warning ? `warning: ${warning}\n` : ""),
  );
  return 0;
}
