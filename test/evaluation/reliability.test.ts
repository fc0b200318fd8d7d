import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reliability } from "../../src/evaluation/reliability";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe("reliability", () => {
  it("bins confidences into (lower, upper] and measures each bin's accuracy", () => {
    const { bins, expectedCalibrationError } = reliability([0.2, 0.3, 0.9, 1.0, 0.95], [false, true, true, true, false], 2);
    assert.deepEqual(
      bins.map(({ lower, upper, count }) => [lower, upper, count]),
      [
        [0, 0.5, 2],
        [0.5, 1, 3],
      ],
    );
    close(bins[0].meanConfidence, 0.25);
    close(bins[0].accuracy, 0.5);
    close(bins[1].meanConfidence, 0.95);
    close(bins[1].accuracy, 2 / 3);
    // ECE = 2/5 * |0.5 - 0.25| + 3/5 * |2/3 - 0.95|
    close(expectedCalibrationError, (2 / 5) * 0.25 + (3 / 5) * (0.95 - 2 / 3));
  });

  it("leaves empty bins as NaN and puts confidence 0 in the first bin", () => {
    const { bins } = reliability([0, 0.05], [true, false], 10);
    assert.equal(bins[0].count, 2);
    assert.ok(Number.isNaN(bins[5].accuracy));
  });
});
