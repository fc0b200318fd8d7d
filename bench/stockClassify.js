// The stock transformers.js zero-shot-classification pipeline as a user would script it: read a JSON
// Lines file of texts, classify each one against the labels, print one {sequence, labels, scores} per
// line. Plain JavaScript (no tsx), so its start-up is what a user's script pays.
//
//   node bench/stockClassify.js MODEL_DIR INPUT.jsonl "A,B,C" [fp32|q8]
"use strict";
const { readFileSync } = require("node:fs");
const { pipeline } = require("@huggingface/transformers");

async function main() {
  const [modelDir, input, labelList, dtype = "fp32"] = process.argv.slice(2);
  const texts = readFileSync(input, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const labels = labelList.split(",");
  const classify = await pipeline("zero-shot-classification", modelDir, { local_files_only: true, dtype });
  const lines = [];
  for (const text of texts) lines.push(JSON.stringify(await classify(text, labels)));
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
