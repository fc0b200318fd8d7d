import assert from "node:assert/strict";
import { hostname } from "node:os";
import { describe, it } from "node:test";
import { hostName, isAllowedHost } from "../../src/server/hostCheck";

describe("Host check (DNS rebinding)", () => {
  const loopback = { listenHost: "127.0.0.1" };

  it("reads the host name of a Host header without its port, lower-case, IPv6 unbracketed", () => {
    assert.equal(hostName("LocalHost:8080"), "localhost");
    assert.equal(hostName("[::1]:8080"), "::1");
    assert.equal(hostName("example.com."), "example.com");
    assert.equal(hostName("a/b"), undefined);
    assert.equal(hostName("user@host"), undefined);
  });

  it("answers loopback names and addresses, and an absent Host (HTTP/1.0, never a browser)", () => {
    for (const host of ["localhost", "localhost:8080", "api.localhost", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "[::ffff:127.0.0.1]", undefined]) {
      assert.equal(isAllowedHost(host, loopback), true, String(host));
    }
  });

  it("refuses other names, names that only look local, and malformed headers", () => {
    for (const host of ["attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example", "10.0.0.5:8080", "", "a b"]) {
      assert.equal(isAllowedHost(host, loopback), false, host);
    }
  });

  it("answers the address it listens on and the names the user allows", () => {
    assert.equal(isAllowedHost("192.168.1.20:8080", { listenHost: "192.168.1.20" }), true);
    assert.equal(isAllowedHost("models.internal:8080", { listenHost: "127.0.0.1", allowedHosts: ["models.internal"] }), true);
    assert.equal(isAllowedHost("other.internal", { listenHost: "127.0.0.1", allowedHosts: ["models.internal"] }), false);
  });

  it("on every interface (0.0.0.0) answers any IP address and this machine's name, still no foreign name", () => {
    const everywhere = { listenHost: "0.0.0.0" };
    assert.equal(isAllowedHost("10.0.0.5:8080", everywhere), true);
    assert.equal(isAllowedHost(`${hostname()}:8080`, everywhere), true);
    assert.equal(isAllowedHost("attacker.example", everywhere), false);
  });
});
