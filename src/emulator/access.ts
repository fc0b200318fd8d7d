/**
 * Who may talk to local mode: requests must name this machine in `Host` (a web page that rebinds its own
 * DNS name to 127.0.0.1 still sends its own name, and is refused) and be signed with AWS Signature V4
 * by the emulator's credentials. The default credentials are public (`local`/`local`), so they are only
 * accepted on a loopback address; an emulator other machines can reach needs credentials of the user's.
 */
import { hostname, networkInterfaces } from "node:os";
import { LOCAL_CREDENTIALS } from "../aws/localAccount";
import type { Credentials } from "../aws/sigV4";
import { InputError } from "../errors";
import { hostName, isLoopbackName } from "../io/hostHeader";

/** The environment variables that give local mode its credentials (the CLI flags and options win). */
export const ACCESS_KEY_ID_ENV = "ZERO_SHOT_LOCAL_SAGEMAKER_ACCESS_KEY_ID";
export const SECRET_ACCESS_KEY_ENV = "ZERO_SHOT_LOCAL_SAGEMAKER_SECRET_ACCESS_KEY";

const isWildcard = (host: string): boolean => host === "0.0.0.0" || host === "::" || host === "[::]";

/** Decides which `Host` headers name this server. */
export class HostCheck {
  private readonly names = new Set<string>();

  /** `bindHost` is the address the server listens on; `extra` are more names users reach it by. */
  constructor(
    private readonly bindHost: string,
    extra: readonly string[] = [],
  ) {
    for (const name of [bindHost, ...extra]) this.names.add(name.toLowerCase().replace(/^\[(.*)\]$/, "$1"));
    if (isWildcard(bindHost)) {
      // Listening everywhere: this machine's own names and addresses are its names.
      this.names.add(hostname().toLowerCase());
      for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) this.names.add(address.address.toLowerCase());
    }
  }

  allows(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return false;
    const name = hostName(hostHeader);
    return name !== undefined && (isLoopbackName(name) || this.names.has(name));
  }

  /** Why a Host was refused, and what to do about it. */
  refusal(hostHeader: string | undefined): string {
    return (
      `the Host header ${JSON.stringify(hostHeader ?? "")} does not name this local SageMaker (listening on ${this.bindHost}): ` +
      `call it at 127.0.0.1 or localhost${isLoopbackName(this.bindHost) ? "" : ` or ${this.bindHost}`}; a name that only points here by DNS is refused (DNS rebinding)`
    );
  }
}

/**
 * The credentials local mode verifies: the given ones, else the environment's, else `local`/`local`,
 * which only a loopback address accepts.
 */
export function resolveCredentials(host: string, given: Partial<Credentials> | undefined, env: NodeJS.ProcessEnv = process.env): Credentials {
  // An empty variable counts as unset.
  const accessKeyId = given?.accessKeyId ?? (env[ACCESS_KEY_ID_ENV] || undefined);
  const secretAccessKey = given?.secretAccessKey ?? (env[SECRET_ACCESS_KEY_ENV] || undefined);
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (!isLoopbackName(host)) {
      throw new InputError(
        `local SageMaker on ${host} would be reachable from other machines with the public default credentials local/local: ` +
          `set your own with --access-key-id and ${SECRET_ACCESS_KEY_ENV} (or the credentials option), or listen on 127.0.0.1`,
      );
    }
    return { ...LOCAL_CREDENTIALS };
  }
  if (!accessKeyId || !secretAccessKey) {
    throw new InputError(`local SageMaker needs both an access key id and a secret access key: set ${ACCESS_KEY_ID_ENV} and ${SECRET_ACCESS_KEY_ENV} (or both options)`);
  }
  if (!isLoopbackName(host) && accessKeyId === LOCAL_CREDENTIALS.accessKeyId && secretAccessKey === LOCAL_CREDENTIALS.secretAccessKey) {
    throw new InputError(`the default credentials local/local are public: choose your own secret for local SageMaker on ${host}`);
  }
  return { accessKeyId, secretAccessKey };
}
