/**
 * The request target exactly as the client sent it. It is never resolved as a URL: `new URL()` would
 * turn `/bucket/../x` into `/x` and throw on `//[`, while S3 keys are opaque text and the signature
 * covers the path as sent.
 */

export interface RequestTarget {
  /** The whole target as on the request line, for the signature check. */
  raw: string;
  /** The path, still percent-encoded. */
  path: string;
  /** The query parameters, decoded. */
  query: URLSearchParams;
}

/** Splits an origin-form target (`/path?query`); `undefined` for any other form (`*`, `http://...`, empty). */
export function parseRequestTarget(raw: string): RequestTarget | undefined {
  if (!raw.startsWith("/") || /[\s#]/.test(raw)) return undefined;
  const question = raw.indexOf("?");
  const path = question < 0 ? raw : raw.slice(0, question);
  return { raw, path, query: new URLSearchParams(question < 0 ? "" : raw.slice(question + 1)) };
}

/** Percent-decodes one part of a path; `undefined` when the encoding is malformed. */
export function decodePathPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
