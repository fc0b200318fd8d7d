/**
 * Reading an HTTP `Host` header, for the servers' DNS-rebinding checks (`zero-shot serve` and local
 * mode): one parser and one notion of "loopback", so the two servers cannot drift apart.
 */
import { isIP } from "node:net";

/** The host name of a `Host` header without its port, lower-case; IPv6 without brackets. `undefined` if malformed. */
export function hostName(header: string): string | undefined {
  try {
    const { hostname: name, username, password, pathname, search } = new URL(`http://${header}`);
    if (username || password || pathname !== "/" || search) return undefined;
    return name.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
  } catch {
    return undefined;
  }
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (in any of the spellings an address can take, brackets allowed). */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost") return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || name === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(name) || /^::ffff:7f[0-9a-f]{2}:/.test(name);
  return false;
}
