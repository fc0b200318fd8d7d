/**
 * What lies under Node's bare "fetch failed": the system error in its `cause` chain (ENOTFOUND,
 * ECONNREFUSED, ...), said with what to do about it.
 */

interface CodedError {
  code?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
  errors?: unknown;
  message?: unknown;
}

/** The first error with a string `code` in `error`, its causes and (for AggregateError) its members. */
function codedCause(error: unknown, depth = 0): CodedError | undefined {
  if (!error || typeof error !== "object" || depth > 8) return undefined;
  const candidate = error as CodedError;
  if (typeof candidate.code === "string") return candidate;
  for (const inner of [candidate.cause, ...(Array.isArray(candidate.errors) ? candidate.errors : [])]) {
    const found = codedCause(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The cause of a failed request in words a person can act on, or `undefined` when there is no network
 * error underneath (an HTTP error status, a missing file). `url` names the server when the error does not.
 * @example describeNetworkError(new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND huggingface.co"), { code: "ENOTFOUND", hostname: "huggingface.co" }) }))
 * // "cannot resolve huggingface.co (ENOTFOUND): no DNS or no internet here; ..."
 */
export function describeNetworkError(error: unknown, url?: string): string | undefined {
  const cause = codedCause(error);
  if (!cause) return blockedPort(error, url);
  const code = cause.code as string;
  let server = typeof cause.hostname === "string" ? cause.hostname : undefined;
  if (!server && typeof cause.address === "string") {
    const address = cause.address.includes(":") ? `[${cause.address}]` : cause.address;
    server = typeof cause.port === "number" ? `${address}:${cause.port}` : address;
  }
  if (!server && url) {
    try {
      server = new URL(url).host;
    } catch {
      server = url;
    }
  }
  const at = server ?? "the server";
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve ${at} (${code}): no DNS or no internet here; check the connection or proxy (HTTPS_PROXY), or point HF_ENDPOINT at a reachable mirror`;
    case "ECONNREFUSED":
      return `${at} refused the connection (${code}): nothing listens there; if it is a mirror (HF_ENDPOINT), start it or fix its address`;
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return `${at} did not answer in time (${code}): a slow or filtered network; check the connection or proxy, then try again`;
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
    case "EPIPE":
      return `${at} dropped the connection (${code}): try again; if it repeats, a proxy or firewall may be cutting it`;
    case "ENETUNREACH":
    case "EHOSTUNREACH":
      return `no route to ${at} (${code}): this machine has no network path there; check the connection`;
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `the TLS certificate of ${at} was not accepted (${code}): behind a proxy that inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`;
    default:
      return undefined;
  }
}

/** fetch refuses the ports browsers block (e.g. 9, 25, 6000) before connecting, saying only "bad port". */
function blockedPort(error: unknown, url?: string): string | undefined {
  let inner: unknown = error;
  for (let depth = 0; inner && typeof inner === "object" && depth < 8; depth++) {
    if ((inner as CodedError).message === "bad port") {
      const port = url ? safePort(url) : undefined;
      return `fetch refuses port ${port ?? "of that address"} (a port browsers block, "bad port"): serve the mirror on another port, e.g. 8080`;
    }
    inner = (inner as CodedError).cause;
  }
  return undefined;
}

function safePort(url: string): string | undefined {
  try {
    return new URL(url).port || undefined;
  } catch {
    return undefined;
  }
}
