/** Failures of JumpStart look-ups, each naming what exists instead. */
import { ZeroShotError } from "../errors";

/** The model id is not in the catalog (of this region or task). */
export class JumpStartModelNotFoundError extends ZeroShotError {
  constructor(
    message: string,
    readonly modelId: string,
  ) {
    super("jumpstart_model_not_found", message);
  }
}

/** The model exists but not at the version asked for. */
export class JumpStartVersionNotFoundError extends ZeroShotError {
  constructor(
    message: string,
    readonly modelId: string,
    readonly availableVersions: string[],
  ) {
    super("jumpstart_version_not_found", message);
  }
}

/** The JumpStart catalog could not be read (no network, a region without JumpStart, a malformed file). */
export class JumpStartCatalogError extends ZeroShotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("jumpstart_unavailable", message, options);
  }
}
