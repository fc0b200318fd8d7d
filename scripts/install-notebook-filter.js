#!/usr/bin/env node
// Registers the notebooks' git clean filter (see scripts/notebooks-clean.ts and .gitattributes) in this
// checkout's own .git/config, so that a notebook JupyterLab saved with outputs leaves `git status` clean.
// Runs from `npm install` (prepare); does nothing outside a git checkout of this project (an installed
// package, a tarball), and never touches the user's global git configuration.
"use strict";
const { spawnSync } = require("node:child_process");
const { realpathSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: root, encoding: "utf8" });
if (top.status !== 0 || realpathSync(top.stdout.trim()) !== realpathSync(root)) process.exit(0);
const settings = [
  ["filter.notebook-outputs.clean", "node --import tsx scripts/notebooks-clean.ts --filter"],
  ["filter.notebook-outputs.smudge", "cat"],
];
for (const [key, value] of settings) {
  const set = spawnSync("git", ["config", "--local", key, value], { cwd: root, encoding: "utf8" });
  if (set.status !== 0) {
    console.error(`could not register the notebooks' git filter (${set.stderr.trim()}): run \`npm run notebooks:clean\` before committing notebooks`);
    process.exit(0);
  }
}
