/**
 * Generates the shared test models once, before test files run side by side: two files generating the
 * same model at the same moment would replace each other's directory under a reader.
 */
import { tinyBart, tinyBert } from "./models";

for (const model of [tinyBert(), tinyBart()]) process.stdout.write(`test model ready: ${model}\n`);
