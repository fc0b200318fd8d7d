import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  containerMessage,
  DEFAULT_VARIANT_NAME,
  ENDPOINT_REQUEST_TEXT_BUDGET_BYTES,
  HF_ZERO_SHOT_TASK,
  INVOCATION_MAX_BYTES,
  nameTimestamp,
  TRANSFORM_DEFAULT_MAX_PAYLOAD_MB,
} from "../../src/aws/sagemaker";

describe("SageMaker constants", () => {
  it("hold the values SageMaker and the Hugging Face container use", () => {
    assert.equal(HF_ZERO_SHOT_TASK, "zero-shot-classification");
    assert.equal(DEFAULT_VARIANT_NAME, "AllTraffic");
    assert.equal(INVOCATION_MAX_BYTES, 6_291_456);
    assert.equal(TRANSFORM_DEFAULT_MAX_PAYLOAD_MB, 6);
    assert.equal(TRANSFORM_DEFAULT_MAX_PAYLOAD_MB * 1024 * 1024, INVOCATION_MAX_BYTES);
  });

  it("leave half a MiB under the invocation limit for the JSON envelope and the labels", () => {
    assert.equal(ENDPOINT_REQUEST_TEXT_BUDGET_BYTES, 5_767_168);
    assert.equal(INVOCATION_MAX_BYTES - ENDPOINT_REQUEST_TEXT_BUDGET_BYTES, 512 * 1024);
  });
});

describe("nameTimestamp", () => {
  it("writes YYYYMMDDHHMMSSmmm in UTC, zero-padded", () => {
    assert.equal(nameTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))), "20240102030405006");
    assert.equal(nameTimestamp(new Date(Date.UTC(2031, 11, 31, 23, 59, 59, 999))), "20311231235959999");
  });

  it("differs between two instants one millisecond apart, and sorts like time", () => {
    const first = nameTimestamp(new Date(Date.UTC(2025, 5, 30, 12, 0, 0, 999)));
    const second = nameTimestamp(new Date(Date.UTC(2025, 5, 30, 12, 0, 1, 0)));
    assert.notEqual(first, second);
    assert.ok(first < second);
  });

  it("fits a SageMaker resource name: 17 digits", () => {
    assert.match(nameTimestamp(), /^\d{17}$/);
    assert.match(`zero-shot-${nameTimestamp()}`, /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
  });
});

describe("containerMessage", () => {
  it("takes the message of the container's {code, type, message} error body", () => {
    const body = JSON.stringify({ code: 400, type: "InternalServerException", message: "labels must not be empty" });
    assert.equal(containerMessage(body), "labels must not be empty");
    assert.equal(containerMessage(body, 5), "labels must not be empty");
  });

  it("shows any other body as it is, cut to the limit", () => {
    assert.equal(containerMessage("upstream connect error"), "upstream connect error");
    assert.equal(containerMessage("upstream connect error", 8), "upstream");
    assert.equal(containerMessage('{"message": 42}'), '{"message": 42}');
    assert.equal(containerMessage('{"error":"x"}', 4), '{"er');
    assert.equal(containerMessage("null"), "null");
    assert.equal(containerMessage('"just a string"'), '"just a string"');
    assert.equal(containerMessage(""), "");
  });
});
