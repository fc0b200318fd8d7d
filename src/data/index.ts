/** Datasets: the resolutions file's fetch, CSV loading into danfojs DataFrames, the committed sample. */
export * from "./resolutions";
export * from "./csv";
export * from "./encoding";
export * from "./categories";
export * from "./fetch";
export * from "./load";
export * from "./sample";
