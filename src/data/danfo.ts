/** danfojs-node, loaded on first use: it takes about a second, which commands that never build a DataFrame should not pay. */
let module: typeof import("danfojs-node") | undefined;

export function danfo(): typeof import("danfojs-node") {
  module ??= require("danfojs-node") as typeof import("danfojs-node");
  return module;
}
