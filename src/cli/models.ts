/** `zero-shot models`: the zero-shot models JumpStart offers in a region (bundled snapshot offline, or live). */
import { writeFileSync } from "node:fs";
import { liveCatalog, snapshotCatalog, ZERO_SHOT_JUMPSTART_TASK, ZERO_SHOT_SNAPSHOT } from "../jumpstart/catalog";
import { readJumpStartSnapshot } from "../jumpstart/snapshot";
import { parseCommandArgs } from "./args";

export const USAGE = `Usage: zero-shot models [--task zstc] [--region REGION] [--live] [--json]
       zero-shot models --write-snapshot FILE [--region REGION]

Lists the SageMaker JumpStart models of a task (default zstc: zero-shot text classification) with
their latest version and the Hugging Face model each was built from. Deploy one by its id:
deployModel(clients, { modelId: "huggingface-zstc-facebook-bart-large-mnli", modelVersion: "*" }).

Without --live the list comes from the bundled snapshot (${ZERO_SHOT_SNAPSHOT.date}, read in
${ZERO_SHOT_SNAPSHOT.manifestRegion}; works offline). With --live it is read from JumpStart's public bucket
for the region (jumpstart-cache-prod-<region>, HTTPS, no AWS credentials needed).

Options:
      --task TASK            the task infix of JumpStart ids (default ${ZERO_SHOT_JUMPSTART_TASK})
      --region REGION        AWS region (default $AWS_REGION, else us-east-1)
      --live                 read JumpStart's current manifest instead of the bundled snapshot
      --json                 one JSON object per model and line
      --write-snapshot FILE  read the live manifest and specs and write a new snapshot file
  -h, --help                 show this help

Examples:
  zero-shot models --task zstc
  zero-shot models --task zstc --region eu-west-1 --live
  zero-shot models --write-snapshot src/jumpstart/snapshot/zstc.json --region eu-west-2
`;

const OPTIONS = {
  task: { type: "string" },
  region: { type: "string" },
  live: { type: "boolean" },
  json: { type: "boolean" },
  "write-snapshot": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const region = values.region ?? process.env.AWS_REGION ?? "us-east-1";
  const task = values.task ?? ZERO_SHOT_JUMPSTART_TASK;
  if (values["write-snapshot"]) {
    const snapshot = await readJumpStartSnapshot(region, { task });
    writeFileSync(values["write-snapshot"], `${JSON.stringify(snapshot, null, 2)}\n`);
    process.stdout.write(`wrote ${snapshot.models.length} ${task} models (${snapshot.date}, ${region}) to ${values["write-snapshot"]}\n`);
    return 0;
  }
  const catalog = values.live ? liveCatalog(region) : snapshotCatalog(region);
  const models = await catalog.listModels({ task });
  if (values.json) {
    process.stdout.write(models.map((model) => `${JSON.stringify(model)}\n`).join(""));
    return 0;
  }
  const source = values.live ? `JumpStart in ${region}, live` : `bundled snapshot of ${ZERO_SHOT_SNAPSHOT.date}, read in ${ZERO_SHOT_SNAPSHOT.manifestRegion}; --live for today's list`;
  const width = Math.max(8, ...models.map((model) => model.modelId.length));
  const rows = models.map((model) => `  ${model.modelId.padEnd(width)}  ${model.latestVersion.padEnd(8)}  ${model.hubModelId ?? "-"}\n`);
  process.stdout.write(`${models.length} JumpStart ${task} models for ${region} (${source})\n\n  ${"model id".padEnd(width)}  ${"latest".padEnd(8)}  hub model\n${rows.join("")}`);
  return 0;
}
