/**
 * JumpStart's version selection, as the SageMaker Python SDK does it: `"*"` is the latest version,
 * `"2.*"` / `"2.0.*"` the latest with that prefix, anything else an exact version.
 */

/** Compares dotted numeric versions (`2.0.14` > `2.0.9`); non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const left = a.split(".");
  const right = b.split(".");
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? "0";
    const y = right[i] ?? "0";
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const order = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (order !== 0) return Math.sign(order);
  }
  return 0;
}

/** The newest of `versions`, or undefined for none. */
export function latestVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareVersions).at(-1);
}

/**
 * The version `wanted` picks among `available`, or undefined when none matches.
 * @example selectVersion("2.*", ["1.0.14", "2.0.9", "2.0.14"]) // "2.0.14"
 */
export function selectVersion(wanted: string, available: readonly string[]): string | undefined {
  if (wanted === "*") return latestVersion(available);
  if (wanted.endsWith("*")) return latestVersion(available.filter((version) => version.startsWith(wanted.slice(0, -1))));
  return available.find((version) => compareVersions(version, wanted) === 0);
}
