// Preloaded (`--require`, through NODE_OPTIONS) by scripts/run-tests.js in every test process, worker
// thread and child process: files under node_modules load exactly as Node loads them in production,
// while tsx still compiles the project's own TypeScript.
// Why: tsx's loader re-reads every dependency file to look for ESM syntax and rewrites the dynamic
// imports of each .cjs file with a source map; for transformers.js's 1.4 MB bundle that took ~0.7 s of
// CPU per process (0.2 s plainly), and about doubled the AWS SDK's load time, in each of the ~150 test
// processes and their workers.
// How: tsx installs its loader with an assignment when `Module._extensions[ext]` is an accessor, so the
// accessors below see each loader tsx installs and put a dependency check in front of it.
"use strict";
const Module = require("node:module");
const { sep } = require("node:path");

const extensions = Module._extensions;
const nodeLoader = extensions[".js"];
const isDependency = (filename) => typeof filename === "string" && filename.includes(`${sep}node_modules${sep}`);

/** Makes `extensions[ext]` an accessor that keeps dependencies on Node's own loader. */
function guard(ext) {
  const existing = Object.getOwnPropertyDescriptor(extensions, ext);
  if (existing && existing.set) return; // already guarded (a second preload in the same thread)
  let installed = existing ? existing.value : undefined;
  let guarded = installed;
  Object.defineProperty(extensions, ext, {
    configurable: true,
    enumerable: existing ? existing.enumerable : false,
    get: () => guarded,
    set(loader) {
      installed = loader;
      guarded =
        typeof loader !== "function" || loader === nodeLoader
          ? loader
          : function loadDependencyAsIs(module, filename) {
              return isDependency(filename) ? nodeLoader.call(this, module, filename) : installed.call(this, module, filename);
            };
    },
  });
}

guard(".js");
// `.cjs` and `.mjs` have no loader until tsx installs one, right after `.js`: an accessor that returned
// undefined before that would make Node call nothing for them, so guard them only once `.js` is taken.
const jsDescriptor = Object.getOwnPropertyDescriptor(extensions, ".js");
Object.defineProperty(extensions, ".js", {
  ...jsDescriptor,
  set(loader) {
    jsDescriptor.set(loader);
    if (typeof loader === "function" && loader !== nodeLoader) {
      guard(".cjs");
      guard(".mjs");
    }
  },
});
