/** danfojs-node, loaded on first use: it takes about a second, which commands that never build a DataFrame should not pay. */
// Not named `module`: a top-level `module` binding clashes with CommonJS's own and makes Node load the file as ESM.
let danfoModule: typeof import("danfojs-node") | undefined;

export function danfo(): typeof import("danfojs-node") {
  danfoModule ??= require("danfojs-node") as typeof import("danfojs-node");
  return danfoModule;
}
