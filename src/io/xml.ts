/** Characters XML 1.0 cannot carry: control characters, lone surrogate halves, U+FFFE and U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text made safe for an XML element or attribute: the five predefined entities, and characters XML
 * 1.0 cannot carry as numeric references (as S3 writes them). Surrogate pairs (emoji) stay as they are.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c] as string)
    .replace(NOT_XML, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
}
