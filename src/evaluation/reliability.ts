import { InputError } from "../errors";
import { checkSameLength } from "./accuracy";

/** One confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** The bin's interval (lower, upper]; the first bin also holds confidence 0. */
  lower: number;
  upper: number;
  count: number;
  /** Mean top score in the bin (NaN when empty). */
  meanConfidence: number;
  /** Share of the bin's predictions that are right (NaN when empty). */
  accuracy: number;
}

/** Confidence against accuracy, and the expected calibration error (the count-weighted mean gap). */
export interface Reliability {
  bins: ReliabilityBin[];
  expectedCalibrationError: number;
}

/** Bins the top score of each prediction into `binCount` equal-width bins over [0, 1]. */
export function reliability(confidences: readonly number[], correct: readonly boolean[], binCount = 10): Reliability {
  if (!Number.isInteger(binCount) || binCount < 1) throw new InputError(`reliability needs a whole number of bins of at least 1, not ${binCount}`);
  checkSameLength(correct, confidences, "confidences");
  const sums = Array.from({ length: binCount }, () => ({ count: 0, confidence: 0, correct: 0 }));
  confidences.forEach((confidence, i) => {
    const bin = Math.min(binCount - 1, Math.max(0, Math.ceil(confidence * binCount) - 1));
    sums[bin].count++;
    sums[bin].confidence += confidence;
    if (correct[i]) sums[bin].correct++;
  });
  const bins = sums.map((sum, i) => ({
    lower: i / binCount,
    upper: (i + 1) / binCount,
    count: sum.count,
    meanConfidence: sum.count ? sum.confidence / sum.count : NaN,
    accuracy: sum.count ? sum.correct / sum.count : NaN,
  }));
  const expectedCalibrationError = bins.reduce((total, bin) => (bin.count ? total + (bin.count / confidences.length) * Math.abs(bin.accuracy - bin.meanConfidence) : total), 0);
  return { bins, expectedCalibrationError };
}
