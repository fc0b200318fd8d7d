/**
 * The running Jupyter kernel, whichever it is: tslab (Node, type-checked cells) or Deno's kernel
 * (`deno jupyter`). Every notebook output goes through `displayBundle`, so the same notebook runs
 * unchanged on both.
 */
import { InputError } from "../errors";

/** Sends a Jupyter `display_data` (or, with `update`, an `update_display_data`) message. */
export type KernelDisplayWriter = (content: { data: object; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

/** Which kernel runs this code: `none` outside Jupyter (tests, scripts). */
export type KernelName = "tslab" | "deno" | "none";

/** Deno's Jupyter API, as far as these helpers use it. */
interface DenoJupyter {
  display(bundle: object, options: { raw: true; update?: boolean; display_id?: string }): Promise<void>;
  broadcast(msgType: string, content: object): Promise<void>;
}

function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  return typeof deno?.jupyter?.display === "function" ? deno.jupyter : undefined;
}

/**
 * tslab's writer, or undefined outside a tslab kernel. tslab's public `display.raw` sends one MIME type
 * per output, which would show a chart twice in JupyterLab; the kernel's own writer (its
 * `dist/jupyter.js`, already loaded in the kernel process, whichever copy of tslab runs it) sends a bundle.
 */
function tslabWriter(): KernelDisplayWriter | undefined {
  if (typeof require === "undefined" || !require.cache) return undefined;
  for (const [path, module] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(path)) continue;
    const write = (module?.exports as { lastWriteDisplayData?: KernelDisplayWriter | null } | undefined)?.lastWriteDisplayData;
    if (typeof write === "function") return write;
  }
  return undefined;
}

/** The kernel running this code. */
export function runningKernel(): KernelName {
  if (denoJupyter()) return "deno";
  if (tslabWriter()) return "tslab";
  return "none";
}

/**
 * A display writer for the running kernel (tslab's, or one over Deno's `Deno.jupyter`), or undefined
 * outside a kernel. Deno's calls are asynchronous; they are chained so outputs keep their order.
 */
export function kernelDisplayWriter(): KernelDisplayWriter | undefined {
  const deno = denoJupyter();
  if (deno) {
    return (content, update) => {
      const id = content.transient.display_id;
      const sent = pending.then(() =>
        update && id
          ? deno.broadcast("update_display_data", { data: content.data, metadata: content.metadata, transient: { display_id: id } })
          : deno.display(content.data, { raw: true, ...(id ? { display_id: id } : {}) }),
      );
      // A send that fails fails only for whoever waits on it: the outputs after it still go out.
      newest = sent;
      pending = sent.catch(() => undefined);
    };
  }
  return tslabWriter();
}

/** The chain of Deno sends, which never rejects, and the newest send itself. */
let pending: Promise<void> = Promise.resolve();
let newest: Promise<void> = Promise.resolve();

/**
 * Resolves once every output sent so far has left (Deno sends asynchronously; tslab at once); rejects
 * with the newest output's error if that one could not be sent.
 */
export function outputsSent(): Promise<void> {
  return newest;
}

/** Thrown by a display call outside a notebook kernel. */
const NO_KERNEL = "no notebook kernel to display in: call this inside a tslab or Deno notebook (or use the function's string result)";

/**
 * Shows one output: a MIME bundle such as `{"text/html": ..., "text/plain": ...}`. Resolves once it is sent.
 * @example await displayBundle({ "text/markdown": "**Model:** ...", "text/plain": "Model: ..." });
 */
export async function displayBundle(bundle: Record<string, unknown>, options: { write?: KernelDisplayWriter } = {}): Promise<void> {
  const write = options.write ?? kernelDisplayWriter();
  if (!write) throw new InputError(NO_KERNEL);
  write({ data: bundle, metadata: {}, transient: {} }, false);
  await outputsSent();
}
