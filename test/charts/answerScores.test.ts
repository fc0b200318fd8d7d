import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { answerScoresChart } from "../../src/charts/answerScores";
import { renderSvg } from "../../src/charts/render";
import { assertMatchesSnapshot } from "../helpers/snapshot";

describe("answerScoresChart", () => {
  const single = { name: "single-label", labels: ["Personal Growth", "Time Management", "Health"], scores: [0.6, 0.3, 0.1] };
  const multi = { name: "multi-label", labels: ["Personal Growth", "Time Management", "Health"], scores: [0.9, 0.8, 0.2] };
  const spec = answerScoresChart([single, multi]);

  it("keeps the first answer's order (best first) and leaves out scores that were not shown", () => {
    assert.deepEqual((spec as unknown as { encoding: { y: { sort: string[] } } }).encoding.y.sort, ["Personal Growth", "Time Management", "Health"]);
    const partial = answerScoresChart([{ name: "recorded", labels: ["Personal Growth", "Time Management"], scores: [0.4198768436908722, null] }]);
    assert.deepEqual((partial.data as { values: unknown[] }).values, [{ answer: "recorded", label: "Personal Growth", score: 0.4199 }]);
  });

  it("renders as its snapshot", async () => {
    assertMatchesSnapshot(await renderSvg(spec), join(__dirname, "__snapshots__", "answerScores.svg"));
  });
});
