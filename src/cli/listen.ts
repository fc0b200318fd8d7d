/**
 * The process side of the long-running commands (`serve`, `local-sagemaker`): a busy port said before a
 * model loads and with the option that fixes it, and a stop when the parent that started us is gone.
 */
import { createServer } from "node:net";
import { InputError } from "../errors";

/** A listen failure (EADDRINUSE, EACCES, EADDRNOTAVAIL) as an `InputError` that names `--port` / `--host`; others unchanged. */
export function explainListenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE") {
    return new InputError(
      `port ${port} on ${host} is already in use (another zero-shot serve, or another program): stop that program, ` +
        `or pick another port with --port ${port === 65535 ? port - 1 : port + 1} (--port 0 picks any free one)`,
      { cause: error },
    );
  }
  if (code === "EACCES" || code === "EPERM") {
    return new InputError(`not allowed to listen on ${where}: ports below 1024 need extra privileges; use --port 8080 or another port above 1023`, { cause: error });
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new InputError(`cannot listen on ${where}: ${host} is not an address of this machine; use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)`, {
      cause: error,
    });
  }
  return error;
}

/**
 * Fails fast when `host:port` cannot be bound, before minutes of model download and loading; the real
 * listen still reports the same way if the port is taken in between. Port 0 always binds.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error) => reject(explainListenError(error, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * Under npm (npx, npm exec, npm run), npm's shell sits between npm and this process, and SIGTERM to npm ends
 * the shell, not us: without a watch we would live on, orphaned. Resolves once the parent process is gone
 * (our parent pid changes); never under a supervisor that starts us directly, which signals us itself.
 */
export function parentExit(options: { intervalMs?: number; underNpm?: boolean } = {}): { exited: Promise<void>; stop(): void } {
  const { intervalMs = 500, underNpm = process.env.npm_lifecycle_event !== undefined } = options;
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => {
    const parent = process.ppid;
    if (!underNpm || parent <= 1) return;
    timer = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(timer);
        resolve();
      }
    }, intervalMs);
    timer.unref();
  });
  return { exited, stop: () => clearInterval(timer) };
}
