/** The on-disk score cache: an `NliScorer` wrapper that computes only pairs it has not seen. */
export * from "./cachedScorer";
export { crc32 } from "./segmentFile";
