/**
 * The on-disk format of the score cache: append-only segment files of checksummed records. Each
 * process appends to a segment of its own, so writers never interleave; a record is
 * `[payload length u32][crc32 u32][payload]` with payload `[32-byte pair key][logits as float32]`,
 * little-endian. A reader stops at the first record that is cut short or fails its checksum, which is
 * what an interrupted write leaves behind, so a crash costs at most the records being written.
 */

/** The first bytes of every segment file: the format and its version. */
export const SEGMENT_MAGIC = Buffer.from("ZSCACHE1", "latin1");
/** Bytes of a pair key (a sha256). */
export const KEY_BYTES = 32;
const RECORD_HEADER_BYTES = 8;
/** A record longer than this is taken for corruption (no NLI model has a million output labels). */
const MAX_PAYLOAD_BYTES = KEY_BYTES + 4 * 1_000_000;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib and PNG compute it). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One cached pair: its key and logits. */
export interface CacheRecord {
  key: Buffer;
  logits: Float32Array;
}

/** Encodes records as one buffer, ready to append with a single write. */
export function encodeRecords(records: readonly CacheRecord[]): Buffer {
  const size = records.reduce((sum, record) => sum + RECORD_HEADER_BYTES + KEY_BYTES + 4 * record.logits.length, 0);
  const out = Buffer.alloc(size);
  let offset = 0;
  for (const { key, logits } of records) {
    const payloadLength = KEY_BYTES + 4 * logits.length;
    const payloadStart = offset + RECORD_HEADER_BYTES;
    key.copy(out, payloadStart, 0, KEY_BYTES);
    logits.forEach((value, i) => out.writeFloatLE(value, payloadStart + KEY_BYTES + 4 * i));
    out.writeUInt32LE(payloadLength, offset);
    out.writeUInt32LE(crc32(out.subarray(payloadStart, payloadStart + payloadLength)), offset + 4);
    offset = payloadStart + payloadLength;
  }
  return out;
}

/**
 * Decodes the whole records in `bytes` (which starts at a record boundary); `end` is where the last
 * whole, valid record ends, so a later read can resume there once a writer has finished its record.
 */
export function decodeRecords(bytes: Buffer): { records: CacheRecord[]; end: number } {
  const records: CacheRecord[] = [];
  let offset = 0;
  while (offset + RECORD_HEADER_BYTES <= bytes.length) {
    const payloadLength = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const payloadStart = offset + RECORD_HEADER_BYTES;
    if (payloadLength < KEY_BYTES || payloadLength > MAX_PAYLOAD_BYTES || (payloadLength - KEY_BYTES) % 4 !== 0) break;
    if (payloadStart + payloadLength > bytes.length) break;
    const payload = bytes.subarray(payloadStart, payloadStart + payloadLength);
    if (crc32(payload) !== checksum) break;
    const logits = new Float32Array((payloadLength - KEY_BYTES) / 4);
    for (let i = 0; i < logits.length; i++) logits[i] = payload.readFloatLE(KEY_BYTES + 4 * i);
    records.push({ key: Buffer.from(payload.subarray(0, KEY_BYTES)), logits });
    offset = payloadStart + payloadLength;
  }
  return { records, end: offset };
}
