/** `zero-shot data`: fetches the New Year's resolutions dataset (or copies a local file), checks it, summarises it. */
import { relative } from "node:path";
import { describeLeftOut } from "../data/categories";
import { fetchDataset } from "../data/fetch";
import { loadResolutions } from "../data/load";
import { RESOLUTIONS_DEFAULT_PATH, RESOLUTIONS_SAMPLE_PATH, RESOLUTIONS_SHA256, RESOLUTIONS_URL } from "../data/resolutions";
import { writeResolutionsSample } from "../data/sample";
import { parseCommandArgs } from "./args";
import { filePath, processIo, type CliIo } from "./io";

export const USAGE = `Usage: zero-shot data [--from PATH] [--out FILE] [--force]
       zero-shot data --sample [--out FILE]

Fetches the 2015 New Year's resolutions tweets (5,011 rows) that the AWS walkthrough classifies, from
${RESOLUTIONS_URL}
checks its sha256 (${RESOLUTIONS_SHA256.slice(0, 16)}...) and stores it, then prints its rows per label.

Options:
      --from PATH   use a local copy instead of downloading (checked the same way)
      --out FILE    where to store it (default ${RESOLUTIONS_DEFAULT_PATH}; with --sample ${RESOLUTIONS_SAMPLE_PATH})
      --force       fetch again even when FILE already holds the right file
      --sample      write the small synthetic sample this project ships (resolution-like tweets in the
                    real file's format: windows-1252, mixed CRLF/CR line endings, quoted fields)
  -h, --help        show this help

Examples:
  zero-shot data
  zero-shot data --from ../shared/data/new-years-resolutions/New-years-resolutions-DFE.csv
  zero-shot evaluate --data ${RESOLUTIONS_DEFAULT_PATH} --model models/tiny-bert-nli --limit 200
`;

const OPTIONS = {
  from: { type: "string" },
  out: { type: "string", short: "o" },
  force: { type: "boolean" },
  sample: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let path: string;
  if (values.sample) {
    path = filePath(io, values.out ?? RESOLUTIONS_SAMPLE_PATH);
    const rows = writeResolutionsSample(path);
    io.stdout.write(`wrote ${rows} synthetic rows to ${values.out ?? RESOLUTIONS_SAMPLE_PATH}\n`);
  } else {
    const fetched = await fetchDataset({ from: filePath(io, values.from), out: filePath(io, values.out ?? RESOLUTIONS_DEFAULT_PATH), force: values.force });
    path = fetched.path;
    const how = { download: `downloaded ${RESOLUTIONS_URL}`, copy: `copied ${values.from}`, present: "already present" }[fetched.how];
    io.stdout.write(`${relative(io.cwd, path) || path}: ${how}, ${fetched.bytes} bytes, sha256 ${fetched.sha256} (checked)\n`);
  }
  const dataset = loadResolutions(path);
  const counts = new Map<string, number>();
  for (const label of dataset.frame.column("label").values as string[]) counts.set(label, (counts.get(label) ?? 0) + 1);
  io.stdout.write(`${dataset.totalRows} rows; ${dataset.frame.shape[0]} with a candidate label; ${describeLeftOut(dataset.leftOut)}\n`);
  const width = Math.max(...dataset.labels.map((label) => label.length));
  for (const label of dataset.labels) io.stdout.write(`  ${label.padEnd(width)}  ${String(counts.get(label)).padStart(5)}\n`);
  return 0;
}
