/**
 * Rich outputs for notebook cells, on either kernel: `await notebook.showHtml(table)` where tslab users
 * would write `tslab.display.html(table)`, which Deno's kernel does not have.
 */
import { displayBundle, type KernelDisplayWriter } from "./kernel";

const plain = (html: string) =>
  html
    .replace(/<\/(tr|p|h\d|li|caption)>/g, "\n")
    .replace(/<\/t[dh]>/g, "\t")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();

/** Shows HTML (a table), with its text as the plain fallback. */
export function showHtml(html: string, options: { write?: KernelDisplayWriter } = {}): Promise<void> {
  return displayBundle({ "text/html": html, "text/plain": plain(html) }, options);
}

/** Shows markdown (a notice, a note), with the markdown itself as the plain fallback. */
export function showMarkdown(markdown: string, options: { write?: KernelDisplayWriter } = {}): Promise<void> {
  return displayBundle({ "text/markdown": markdown, "text/plain": markdown }, options);
}
