/**
 * Reading a request body (`zero-shot serve`'s invocations; local mode's control-plane and runtime calls)
 * so that a refusal reaches the client. A server that answers 413 and
 * closes while the client is still sending makes the client's kernel see a reset, and fetch or the AWS
 * SDK report EPIPE instead of the 413. So an over-limit body is read to its end and thrown away (up to
 * a bound), and only then answered; a body announced with `Expect: 100-continue` is refused before the
 * client sends it.
 */
import type { IncomingMessage } from "node:http";

export type BodyOutcome =
  /** The whole body, within the limit. */
  | { kind: "body"; body: Buffer }
  /**
   * Over the limit. `drained`: the client has sent everything (or was never told to send), so the answer
   * reaches it; otherwise the discard bound was passed and the connection must be cut after answering.
   */
  | { kind: "tooLarge"; bytes?: number; drained: boolean }
  /** The client went away before the body ended. */
  | { kind: "gone" };

export interface BodyLimits {
  /** Largest body accepted. */
  maxBytes: number;
  /** Most bytes of an over-limit body read and discarded so the refusal can be delivered. */
  discardBytes: number;
  /** The request carries `Expect: 100-continue` and no `100 Continue` was sent yet. */
  awaitingContinue?: boolean;
}

/** The declared `Content-Length`, if there is a valid one. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Reads the body with the limits above. Sends `100 Continue` (through `writeContinue`) only for a body
 * that may be accepted.
 */
export function readBoundedBody(request: IncomingMessage, limits: BodyLimits, writeContinue: () => void): Promise<BodyOutcome> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > limits.maxBytes) {
    // Not asked to send yet: refuse now, the client never sends the body.
    if (limits.awaitingContinue) return Promise.resolve({ kind: "tooLarge", bytes: declared, drained: true });
    // Too large to wait for: answer now and cut the connection.
    if (declared > limits.discardBytes) {
      request.resume();
      return Promise.resolve({ kind: "tooLarge", bytes: declared, drained: false });
    }
  }
  if (limits.awaitingContinue) writeContinue();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      if (outcome.kind !== "body") chunks.length = 0;
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0; // over the limit: keep counting, keep nothing
      if (size > limits.discardBytes) {
        request.pause();
        settle({ kind: "tooLarge", bytes: declared, drained: false });
      }
    };
    const onEnd = () => (size > limits.maxBytes ? settle({ kind: "tooLarge", bytes: declared ?? size, drained: true }) : settle({ kind: "body", body: Buffer.concat(chunks) }));
    const onClose = () => settle({ kind: "gone" });
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("close", onClose);
  });
}
