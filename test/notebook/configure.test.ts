/**
 * The config cell: the cell chooses the model and ZERO_SHOT_MODEL overrides it; before anything downloads it
 * says how big the download is (asked of a local hub over HTTP, as the hub would be).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatBytes } from "../../src/io/bytes";
import { chooseNotebookModel, modelNotice, PROJECT_ROOT } from "../../src/notebook/config";
import { configureNotebook, downloadNotice } from "../../src/notebook/configure";
import { oneLineErrors } from "../../src/notebook/errors";
import { currentModelWarning, setModelWarning } from "../../src/notebook/modelWarning";
import { tinyBart } from "../helpers/models";

const NOTEBOOKS = join(PROJECT_ROOT, "notebooks");

describe("the config cell", () => {
  let server: Server;
  let hub: string;
  let cache: string;
  before(async () => {
    server = createServer((request, response) => {
      const match = /^\/test-org\/tiny-nli\/resolve\/main\/(.+)$/.exec(request.url ?? "");
      try {
        const body = readFileSync(join(tinyBart(), decodeURIComponent(match![1])));
        response.writeHead(200, { "content-length": body.length }).end(request.method === "HEAD" ? undefined : body);
      } catch {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    hub = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    cache = mkdtempSync(join(tmpdir(), "zs-config-cell-"));
  });
  after(() => {
    server.close();
    rmSync(cache, { recursive: true, force: true });
    setModelWarning(undefined);
    oneLineErrors({ stacks: true });
  });

  it("takes the cell's model and dtype, and ZERO_SHOT_MODEL / ZERO_SHOT_DTYPE override them", () => {
    const fromCell = chooseNotebookModel({}, NOTEBOOKS, { model: "Xenova/nli-deberta-v3-xsmall", dtype: "q8" });
    assert.equal(fromCell.model, "Xenova/nli-deberta-v3-xsmall");
    assert.equal(fromCell.chosenBy, "config cell");
    assert.equal(fromCell.options.dtype, "q8");
    assert.match(modelNotice(fromCell), /Chosen in the config cell above: change `model` there/);
    const overridden = chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBart(), ZERO_SHOT_DTYPE: "fp32" }, NOTEBOOKS, { model: "Xenova/nli-deberta-v3-xsmall", dtype: "q8" });
    assert.equal(overridden.model, tinyBart());
    assert.equal(overridden.chosenBy, "ZERO_SHOT_MODEL");
    assert.equal(overridden.options.dtype, "fp32");
    assert.equal(overridden.options.onDownloadProgress, undefined, "a folder downloads nothing: no download lines");
  });

  it("says how big a hub model's download is before it starts, and how to prepare a class", async () => {
    const choice = chooseNotebookModel({}, NOTEBOOKS, { model: "test-org/tiny-nli", dtype: "q8" });
    choice.options.cacheDir = cache;
    const expected = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"].reduce((sum, file) => sum + statSync(join(tinyBart(), file)).size, 0);
    const notice = await downloadNotice(choice, { HF_ENDPOINT: hub });
    assert.equal(
      notice,
      `**Download:** loading the model downloads **${formatBytes(expected)}** (q8) into \`${cache}\`, once. To prepare a class, run \`npx zero-shot pull test-org/tiny-nli --dtype q8\` on one machine and share that folder (\`ZERO_SHOT_CACHE\`).`,
    );
  });

  it("offline, says the model is not cached and how to get it; a folder downloads nothing", async () => {
    const choice = chooseNotebookModel({}, NOTEBOOKS, { model: "test-org/tiny-nli" });
    choice.options.cacheDir = cache;
    assert.match(await downloadNotice(choice, { HF_HUB_OFFLINE: "1" }), /^\*\*Download:\*\* offline, and `test-org\/tiny-nli` \(fp32\) is not in the cache .*run `npx zero-shot pull test-org\/tiny-nli`/);
    assert.equal(await downloadNotice(chooseNotebookModel({ ZERO_SHOT_MODEL: tinyBart() }, NOTEBOOKS)), "**Download:** none, the model is a folder on this machine.");
  });

  it("looks for the model in the cache the given environment names (ZERO_SHOT_CACHE), not this process's", async () => {
    const choice = chooseNotebookModel({}, NOTEBOOKS, { model: "test-org/tiny-nli" });
    assert.equal(choice.options.cacheDir, undefined);
    const notice = await downloadNotice(choice, { HF_HUB_OFFLINE: "1", ZERO_SHOT_CACHE: cache });
    assert.ok(notice.includes(`is not in the cache \`${cache}\``), notice);
  });

  it("marks later charts when the model is a random test model", async () => {
    const choice = await configureNotebook({}, { ZERO_SHOT_MODEL: tinyBart() });
    assert.equal(choice.randomWeights, true);
    assert.equal(currentModelWarning(), "random test model: scores are meaningless");
  });
});
