/** Request bodies read with a size cap, for the local SageMaker emulator (`zero-shot serve` reads with `server/boundedBody.ts`, which also bounds the discarding and answers `Expect: 100-continue`). */
import type { IncomingMessage } from "node:http";

/** The whole body, or `undefined` once it passes `limit` bytes (the rest is discarded as it arrives, never kept). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
