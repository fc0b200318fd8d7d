/** The JumpStart / Hugging Face zero-shot payload: its types and its parser. */
export * from "./types";
export * from "./request";
