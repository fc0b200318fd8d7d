/**
 * Which `Host` headers the server answers: a web page can reach a loopback server through DNS
 * rebinding (its own domain re-pointed at 127.0.0.1), and then the browser sends that domain as the
 * Host. Refusing every name but loopback names, the address the server listens on and names the user
 * allows closes that door; IP literals are safe (a rebinding needs a domain name).
 */
import { isIP } from "node:net";
import { hostname } from "node:os";
import { hostName, isLoopbackName } from "../io/hostHeader";

const WILDCARD_ADDRESSES = new Set(["0.0.0.0", "::", "[::]"]);

/** What a server accepts as `Host`, given the address it listens on and names the user allows. */
export interface HostPolicy {
  /** The address the server binds (`--host`). */
  listenHost: string;
  /** More names to accept (`--allow-host`), e.g. the machine's DNS name behind a proxy. */
  allowedHosts?: readonly string[];
}

export { hostName } from "../io/hostHeader";

/** True when a request with this `Host` header may be answered (no header: an HTTP/1.0 client, not a browser). */
export function isAllowedHost(header: string | undefined, policy: HostPolicy): boolean {
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === undefined || name === "") return false;
  if (name.endsWith(".localhost") || isLoopbackName(name)) return true;
  const listen = policy.listenHost.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (name === listen) return true;
  // Listening on every interface: other machines call it by an address or by this machine's name.
  if (WILDCARD_ADDRESSES.has(policy.listenHost) && (isIP(name) !== 0 || name === hostname().toLowerCase())) return true;
  return (policy.allowedHosts ?? []).some((allowed) => hostName(allowed) === name);
}
