import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { crc32, decodeRecords, encodeRecords } from "../../src/scorers/segmentFile";

const record = (seed: number) => ({ key: randomBytes(32), logits: Float32Array.of(seed, -seed / 3, 0.5) });

describe("segment records", () => {
  it("uses the standard CRC-32", () => {
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
  });

  it("round-trips records exactly", () => {
    const records = [record(1), record(2.25), record(-7)];
    const { records: decoded, end } = decodeRecords(encodeRecords(records));
    assert.equal(end, encodeRecords(records).length);
    assert.deepEqual(decoded, records);
  });

  it("ignores a torn final record, whatever byte the write stopped at", () => {
    const whole = encodeRecords([record(1), record(2)]);
    const firstEnd = encodeRecords([record(0)]).length;
    for (let cut = firstEnd; cut < whole.length; cut++) {
      const { records, end } = decodeRecords(whole.subarray(0, cut));
      assert.equal(records.length, 1, `cut at ${cut}`);
      assert.equal(end, firstEnd);
    }
  });

  it("stops at a record whose checksum fails", () => {
    const bytes = encodeRecords([record(1), record(2), record(3)]);
    const size = bytes.length / 3;
    bytes[size + 20] ^= 0xff; // a byte of the second record's key
    assert.equal(decodeRecords(bytes).records.length, 1);
  });
});
