/**
 * What a SageMaker real-time endpoint costs per instance hour, for notebook 02. Approximate on-demand
 * prices in us-east-1 as AWS listed them in 2024; they change, and other regions differ: the pricing
 * page is the source of truth.
 */
import { htmlTable } from "./htmlTable";

export const SAGEMAKER_PRICING_URL = "https://aws.amazon.com/sagemaker/pricing/";

/** One instance type and its approximate on-demand price for real-time inference. */
export interface InstancePrice {
  instanceType: string;
  vcpus: number;
  memoryGiB: number;
  gpu: string;
  /** Approximate USD per hour, us-east-1, real-time inference. */
  usdPerHour: number;
  note: string;
}

/** Approximate us-east-1 on-demand prices (USD per hour) of instances that fit bart-large-mnli. */
export const APPROXIMATE_INSTANCE_PRICES: readonly InstancePrice[] = [
  { instanceType: "ml.m5.large", vcpus: 2, memoryGiB: 8, gpu: "", usdPerHour: 0.115, note: "smallest general-purpose; slow for bart-large" },
  { instanceType: "ml.m5.xlarge", vcpus: 4, memoryGiB: 16, gpu: "", usdPerHour: 0.23, note: "the library's default" },
  { instanceType: "ml.c5.xlarge", vcpus: 4, memoryGiB: 8, gpu: "", usdPerHour: 0.204, note: "compute-optimised CPU" },
  { instanceType: "ml.c5.2xlarge", vcpus: 8, memoryGiB: 16, gpu: "", usdPerHour: 0.408, note: "more CPU for more labels per call" },
  { instanceType: "ml.g4dn.xlarge", vcpus: 4, memoryGiB: 16, gpu: "1 × NVIDIA T4", usdPerHour: 0.736, note: "cheapest GPU; many labels or long texts" },
  { instanceType: "ml.g5.xlarge", vcpus: 4, memoryGiB: 16, gpu: "1 × NVIDIA A10G", usdPerHour: 1.408, note: "faster GPU" },
  { instanceType: "ml.p3.2xlarge", vcpus: 8, memoryGiB: 61, gpu: "1 × NVIDIA V100", usdPerHour: 3.825, note: "far more than this model needs" },
];

/** Hours in a 30-day month: what an endpoint left running costs. */
export const HOURS_PER_MONTH = 24 * 30;

/**
 * The prices as a table: per hour, per day and per 30 days of an endpoint left running.
 * @example tslab.display.html(instancePriceTable())
 */
export function instancePriceTable(prices: readonly InstancePrice[] = APPROXIMATE_INSTANCE_PRICES): string {
  const rows = prices.map((p) => [p.instanceType, p.vcpus, p.memoryGiB, p.gpu || "none", `≈ $${p.usdPerHour.toFixed(3)}`, `≈ $${(p.usdPerHour * 24).toFixed(2)}`, `≈ $${Math.round(p.usdPerHour * HOURS_PER_MONTH)}`, p.note]);
  return htmlTable(["instance type", "vCPUs", "memory (GiB)", "GPU", "USD per hour", "USD per day", "USD per 30 days", "note"], rows, {
    digits: 0,
    caption: "Approximate on-demand prices, real-time inference, us-east-1 (check the SageMaker pricing page)",
  });
}
