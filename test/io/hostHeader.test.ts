import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hostName, isLoopbackName } from "../../src/io/hostHeader";

describe("Host headers", () => {
  it("reads the name without port, brackets or trailing dot, and refuses what is not a host", () => {
    assert.equal(hostName("LocalHost:8080"), "localhost");
    assert.equal(hostName("[::1]:8787"), "::1");
    assert.equal(hostName("example.com."), "example.com");
    for (const bad of ["a/b", "user@host", "host?x=1", "[::1", "host:99999"]) assert.equal(hostName(bad), undefined, bad);
  });

  it("knows loopback in every spelling, and nothing else", () => {
    for (const name of ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1"]) {
      assert.equal(isLoopbackName(name), true, name);
    }
    for (const name of ["0.0.0.0", "10.0.0.1", "128.0.0.1", "::", "::2", "localhost.attacker.example", "evil-localhost"]) {
      assert.equal(isLoopbackName(name), false, name);
    }
    assert.equal(isLoopbackName(hostName("[::ffff:127.0.0.1]:80")!), true, "as the URL parser normalises it");
  });
});
