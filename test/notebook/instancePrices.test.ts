import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { APPROXIMATE_INSTANCE_PRICES, HOURS_PER_MONTH, instancePriceTable } from "../../src/notebook/instancePrices";
import { DEFAULT_INSTANCE_TYPE } from "../../src/workflow/deploy";

/** The table's body rows as lists of cell texts. */
const rows = (html: string) => [...html.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map(([, row]) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell));

describe("instancePriceTable", () => {
  it("lists the library's default instance type, marked as such", () => {
    const listed = APPROXIMATE_INSTANCE_PRICES.find((price) => price.instanceType === DEFAULT_INSTANCE_TYPE);
    assert.ok(listed, `${DEFAULT_INSTANCE_TYPE} is in the price list`);
    assert.match(listed.note, /default/);
  });

  it("shows per hour, per day and per 30 days of an endpoint left running, from the hourly price", () => {
    const html = instancePriceTable([{ instanceType: "ml.m5.xlarge", vcpus: 4, memoryGiB: 16, gpu: "", usdPerHour: 0.23, note: "default" }]);
    assert.equal(HOURS_PER_MONTH, 720);
    assert.deepEqual(rows(html), [["ml.m5.xlarge", "4", "16", "none", "≈ $0.230", "≈ $5.52", "≈ $166", "default"]]);
    assert.match(html, /<caption[^>]*>Approximate on-demand prices, real-time inference, us-east-1 \(check the SageMaker pricing page\)<\/caption>/);
  });

  it("has one row per instance, GPUs named, prices rising with the hardware", () => {
    const table = rows(instancePriceTable());
    assert.equal(table.length, APPROXIMATE_INSTANCE_PRICES.length);
    assert.equal(table.find((row) => row[0] === "ml.g4dn.xlarge")?.[3], "1 × NVIDIA T4");
    const hourly = (type: string) => APPROXIMATE_INSTANCE_PRICES.find((price) => price.instanceType === type)!.usdPerHour;
    assert.ok(hourly("ml.m5.large") < hourly("ml.m5.xlarge") && hourly("ml.c5.xlarge") < hourly("ml.c5.2xlarge"));
  });
});
