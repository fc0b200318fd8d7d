/** The running tslab kernel's display channel, for outputs that carry several MIME types or update in place. */

/** Sends a Jupyter `display_data` (or, with `update`, an `update_display_data`) message. */
export type KernelDisplayWriter = (content: { data: object; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

/**
 * The kernel's writer, or undefined outside a tslab kernel. tslab's public `display.raw` sends one MIME
 * type per output, which would show a chart twice in JupyterLab; the kernel's own writer (its
 * `dist/jupyter.js`, already loaded in the kernel process, whichever copy of tslab runs it) sends a
 * bundle.
 */
export function kernelDisplayWriter(): KernelDisplayWriter | undefined {
  for (const [path, module] of Object.entries(require.cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(path)) continue;
    const write = (module?.exports as { lastWriteDisplayData?: KernelDisplayWriter | null } | undefined)?.lastWriteDisplayData;
    if (typeof write === "function") return write;
  }
  return undefined;
}
