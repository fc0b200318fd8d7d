/** Generated test models, shared by the tests: made once per machine in the user cache (DEFAULT_TEST_MODEL_ROOT). */
import { ensureTestModel } from "../../src/models/generate/generate";

export const tinyBert = () => ensureTestModel("tiny-bert-nli");
export const tinyBart = () => ensureTestModel("tiny-bart-nli");

export { maxDifference } from "./lists";
