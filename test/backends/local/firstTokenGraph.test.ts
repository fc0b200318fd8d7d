import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelLoadError } from "../../../src/errors";
import { after, before, describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { onnx } from "onnx-proto";
import { firstTokenGraph, logitsDifference, FIRST_TOKEN_TOLERANCE } from "../../../src/backends/local/firstTokenGraph";
import { GRAPH_RECORD_FILE, LocalNliModel, openSession } from "../../../src/backends/local/localNliModel";
import { sessionOptionsFor } from "../../../src/backends/local/sessionOptions";
import { tinyBart, tinyBert } from "../../helpers/models";

// Pairs of different lengths, so the forward passes pad: a narrowing that mixed positions would show.
const PAIRS = [
  { premise: "I will run a marathon this year and eat better every single day", hypothesis: "This example is Health." },
  { premise: "Save more money", hypothesis: "This example is Finance." },
  { premise: "read", hypothesis: "This example is Education." },
  { premise: "Spend less time on my phone and more with my family and friends", hypothesis: "This example is Personal Growth." },
];

function worstDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((value, j) => (worst = Math.max(worst, Math.abs(value - b[i][j])))));
  return worst;
}

describe("the graph narrowed to the first token", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "zs-first-token-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, model, dtype, narrowed, slices] of [
    // the attention output and both feed-forward projections; two slices: the last layer's input (its
    // residual) and the attention's output (every query still attends, see "batched with" below)
    ["BERT-style, fp32", tinyBert, "fp32", 3, 2],
    ["BART-style, fp32", tinyBart, "fp32", 3, 2],
    // q8 quantizes each projection's input with one scale for the whole tensor, so a quantizer's input
    // stays whole: only the last feed-forward projection is narrowed, after slicing its quantized input.
    ["BERT-style, q8", tinyBert, "q8", 1, 2],
  ] as const) {
    it(`${name}: the last layer runs for the first token only, and the logits are the full graph's, bit for bit`, async () => {
      const [narrow, full] = await Promise.all([
        LocalNliModel.load(model(), { dtype, reuseOptimizedGraph: false }),
        LocalNliModel.load(model(), { dtype, reuseOptimizedGraph: false, firstTokenGraph: false }),
      ]);
      try {
        assert.equal(full.firstToken, undefined);
        assert.equal(narrow.firstToken?.narrowed, narrowed);
        assert.equal(narrow.firstToken?.slices, slices);
        assert.ok(narrow.firstToken!.difference! <= FIRST_TOKEN_TOLERANCE);
        const [a, b] = [await narrow.scorePairs(PAIRS), await full.scorePairs(PAIRS)];
        assert.ok(worstDifference(a, b) <= 1e-5, `max |difference| ${worstDifference(a, b)}`);
        // Bit for bit, in fact: each row of a product by a (pre-packed) weight is computed as it would be
        // among the other positions, and the one-row products of two activations stay whole.
        assert.deepEqual(a, b);
        // Not the same arithmetic: different logits would mean the check above compared nothing.
        assert.ok(a.every((row) => row.every(Number.isFinite)) && new Set(a.map((row) => row[0])).size === PAIRS.length);
      } finally {
        await Promise.all([narrow.dispose(), full.dispose()]);
      }
    });
  }

  it("ZERO_SHOT_FULL_GRAPH=1 in the load's environment runs the full graph (the commands' way to turn narrowing off)", async () => {
    const full = await LocalNliModel.load(tinyBert(), { reuseOptimizedGraph: false, env: { ZERO_SHOT_FULL_GRAPH: "1" } });
    const narrow = await LocalNliModel.load(tinyBert(), { reuseOptimizedGraph: false, env: {} });
    try {
      assert.equal(full.firstToken, undefined);
      assert.equal(narrow.firstToken?.narrowed, 3);
    } finally {
      await Promise.all([full.dispose(), narrow.dispose()]);
    }
  });

  it("narrows the last layer after its attention, and nothing before", async () => {
    const file = join(dir, "narrowed.onnx");
    const prepared = await firstTokenGraph(ort, join(tinyBert(), "onnx/model.onnx"), file);
    assert.ok(prepared);
    const graph = onnx.ModelProto.decode(readFileSync(file)).graph!;
    const producer = (name: string) => graph.node!.find((node) => node.output!.includes(name))!;
    const slices = graph.node!.filter((node) => node.opType === "Slice");
    assert.equal(slices.length, 2);
    const readerOf = (weight: string) => graph.node!.find((node) => node.opType === "MatMul" && node.input![1] === weight)!.input![0];
    const sliced = new Set(slices.map((slice) => slice.output![0]));
    const [residual] = slices.filter((slice) => producer(slice.input![0]).opType === "LayerNormalization");
    const [context] = slices.filter((slice) => producer(slice.input![0]).opType === "MatMul");
    assert.ok(residual && context, "one slice of the last layer's input, one of its attention's output");
    // The last layer's queries, keys and values read every token; so does every projection of the first layer.
    for (const projection of ["query", "key", "value"]) assert.equal(readerOf(`layer1.${projection}.weight`), residual.input![0]);
    for (const projection of ["query", "key", "value", "attention_output", "intermediate", "output"]) assert.ok(!sliced.has(readerOf(`layer0.${projection}.weight`)));
    // The attention output projection reads the sliced attention (through its transpose and reshape).
    const attentionOutput = producer(producer(readerOf("layer1.attention_output.weight")).input![0]);
    assert.equal(attentionOutput.input![0], context.output![0]);
    // The residual add of the last layer joins the sliced input and the narrowed attention output.
    assert.ok(graph.node!.some((node) => node.opType === "Add" && node.input!.includes(residual.output![0])));
  });

  it("a pair's logits do not depend on what it is batched with: alone, or padded beside longer texts, bit for bit", async () => {
    for (const model of [tinyBert, tinyBart]) {
      const narrow = await LocalNliModel.load(model(), { reuseOptimizedGraph: false });
      try {
        assert.ok(narrow.firstToken);
        const together = await narrow.scorePairs(PAIRS);
        for (const [i, pair] of PAIRS.entries()) assert.deepEqual(await narrow.scorePairs([pair]), [together[i]], `pair ${i} alone`);
        const twoShort = await narrow.scorePairs([PAIRS[1], PAIRS[2]]);
        assert.deepEqual(twoShort, [together[1], together[2]]);
      } finally {
        await narrow.dispose();
      }
    }
  });

  it("tells a graph with other logits apart: the check a narrowed graph must pass", async () => {
    const file = join(dir, "narrowed-check.onnx");
    const prepared = await firstTokenGraph(ort, join(tinyBert(), "onnx/model.onnx"), file);
    const own = await ort.InferenceSession.create(file);
    const full = await ort.InferenceSession.create(join(tinyBert(), "onnx/model.onnx"));
    const other = await ort.InferenceSession.create(join(tinyBart(), "onnx/model.onnx"));
    try {
      const narrowed = await prepared!.probeLogits(own);
      assert.ok(logitsDifference(narrowed, await prepared!.probeLogits(full)) <= FIRST_TOKEN_TOLERANCE);
      assert.ok(logitsDifference(narrowed, await prepared!.probeLogits(other)) > 1e-3);
    } finally {
      await Promise.all([own.release(), full.release(), other.release()]);
    }
  });

  for (const [fault, spoil] of [
    ["logits that differ (another model's graph)", (file: string) => writeFileSync(file, readFileSync(join(tinyBart(), "onnx/model.onnx")))],
    ["a graph ONNX Runtime refuses", (file: string) => writeFileSync(file, "not an onnx model")],
  ] as const) {
    it(`a narrowed graph with ${fault} is not kept: the full graph runs, and is what gets saved`, async () => {
      const graphs = mkdtempSync(join(dir, "graphs-"));
      const modelFile = join(tinyBert(), "onnx/model.onnx");
      const opened = await openSession(ort, {
        modelFile,
        graphs,
        key: (variant) => `graph-${variant}`,
        sessionOptions: sessionOptionsFor("cpu"),
        firstToken: true,
        narrow: async (...args) => {
          const prepared = await firstTokenGraph(...args);
          spoil(args[2]);
          return prepared;
        },
      });
      const full = await ort.InferenceSession.create(modelFile, sessionOptionsFor("cpu"));
      const probe = (await firstTokenGraph(ort, modelFile, join(dir, "probe-only.onnx")))!;
      try {
        assert.equal(opened.origin, "optimized-now");
        assert.equal(opened.firstToken, undefined);
        assert.deepEqual(await probe.probeLogits(opened.session), await probe.probeLogits(full));
        assert.deepEqual(JSON.parse(readFileSync(join(graphs, "graph-first-token", GRAPH_RECORD_FILE), "utf8")), { firstToken: null });
        assert.deepEqual(readdirSync(join(graphs, "graph-first-token")).sort(), [GRAPH_RECORD_FILE, "model.onnx", "model.onnx.data"], "no narrowed source left behind");
        // Reopened from the saved folder: the record of a full graph reads as no narrowing.
        const again = await openSession(ort, { modelFile, graphs, key: (variant) => `graph-${variant}`, sessionOptions: sessionOptionsFor("cpu"), firstToken: true });
        assert.deepEqual([again.origin, again.firstToken], ["optimized-graph", undefined]);
        assert.deepEqual(await probe.probeLogits(again.session), await probe.probeLogits(full));
        await again.session.release();
      } finally {
        await Promise.all([opened.session.release(), full.release()]);
      }
    });
  }

  it("a saved graph whose record is damaged still serves, as no narrowing known", async () => {
    const graphs = mkdtempSync(join(dir, "graphs-record-"));
    const options = { modelFile: join(tinyBert(), "onnx/model.onnx"), graphs, key: (variant: string) => `graph-${variant}`, sessionOptions: sessionOptionsFor("cpu"), firstToken: true };
    const first = await openSession(ort, options);
    assert.equal(first.firstToken?.narrowed, 3);
    for (const record of ["{", "", "null", "[]", '{"firstToken": null}', '{"firstToken": "narrowed"}', '{"firstToken": {"narrowed": "3", "slices": 2, "difference": 0}}']) {
      writeFileSync(join(graphs, "graph-first-token", GRAPH_RECORD_FILE), record);
      const again = await openSession(ort, options);
      try {
        assert.deepEqual([again.origin, again.firstToken], ["optimized-graph", undefined], `record ${JSON.stringify(record)}`);
        const probe = (await firstTokenGraph(ort, options.modelFile, join(dir, "record-probe.onnx")))!;
        assert.deepEqual(await probe.probeLogits(again.session), await probe.probeLogits(first.session));
      } finally {
        await again.session.release();
      }
    }
    await first.session.release();
  });

  for (const [damage, spoil] of [
    ["not a model at all", () => Buffer.from("not an onnx model")],
    ["cut short", (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ["empty", () => Buffer.alloc(0)],
  ] as const) {
    it(`a model file that is ${damage} fails the load with a clear error, and leaves nothing in the cache`, async () => {
      const copy = mkdtempSync(join(dir, "damaged-"));
      cpSync(tinyBert(), copy, { recursive: true });
      const file = join(copy, "onnx/model.onnx");
      writeFileSync(file, spoil(readFileSync(file)));
      const cacheDir = mkdtempSync(join(dir, "cache-"));
      // A temporary folder of this test's own, so other processes' scratch folders cannot blur the count.
      const previous = process.env.TMPDIR;
      process.env.TMPDIR = mkdtempSync(join(dir, "tmp-"));
      try {
        await assert.rejects(LocalNliModel.load(copy, { cacheDir }), (error: Error) => error instanceof ModelLoadError && error.message.includes(`could not load model ${copy}`));
        await assert.rejects(LocalNliModel.load(copy, { cacheDir, reuseOptimizedGraph: false }), ModelLoadError);
        assert.deepEqual(readdirSync(join(cacheDir, ".optimized-graphs")), [], "no saved or partial graph");
        assert.deepEqual(readdirSync(tmpdir()), [], "no scratch folder left");
      } finally {
        if (previous === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = previous;
      }
    });
  }

  /** The tiny BERT's graph with `change` applied, written to a file of its own. */
  function variant(name: string, change: (graph: onnx.IGraphProto) => void): string {
    const model = onnx.ModelProto.decode(readFileSync(join(tinyBert(), "onnx/model.onnx")));
    change(model.graph!);
    const file = join(dir, `${name}.onnx`);
    writeFileSync(file, onnx.ModelProto.encode(model).finish());
    return file;
  }
  const firstTokenGather = (graph: onnx.IGraphProto) => graph.node!.find((node) => node.opType === "Gather" && node.attribute?.some((a) => a.name === "axis" && Number(a.i) === 1))!;

  it("leaves alone a classifier that reads every token (mean pooling)", async () => {
    const file = variant("mean-pooled", (graph) => {
      const gather = firstTokenGather(graph);
      gather.opType = "ReduceMean";
      gather.input = [gather.input![0]];
      gather.attribute = [
        { name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 },
      ];
    });
    assert.equal(await firstTokenGraph(ort, file, `${file}.narrowed`), undefined);
    assert.equal(existsSync(`${file}.narrowed`), false, "nothing written");
  });

  it("leaves alone a classifier that reads the last token (as bart-large-mnli reads its end-of-sequence token)", async () => {
    const file = variant("last-token", (graph) => {
      const index = graph.initializer!.find((tensor) => tensor.name === firstTokenGather(graph).input![1])!;
      index.rawData = new Uint8Array(BigInt64Array.of(-1n).buffer);
    });
    assert.equal(await firstTokenGraph(ort, file, `${file}.narrowed`), undefined);
    assert.equal(existsSync(`${file}.narrowed`), false, "nothing written");
  });

  it("leaves alone a graph that also returns the last hidden state: every position is needed", async () => {
    const file = variant("hidden-out", (graph) => graph.output!.push({ name: firstTokenGather(graph).input![0] }));
    assert.equal(await firstTokenGraph(ort, file, `${file}.narrowed`), undefined);
    assert.equal(existsSync(`${file}.narrowed`), false, "nothing written");
  });

  it("narrows a graph spelled as PyTorch's exporter writes it (layer norms as ReduceMean/Pow/Sqrt, reshapes to shapes computed from the input) alike, logits bit-identical", async () => {
    const { INT64, FLOAT } = onnx.TensorProto.DataType;
    const file = variant("torch-export", (graph) => {
      const int64s = (name: string, values: number[], dims = [values.length]) => {
        graph.initializer!.push({ name, dims, dataType: INT64, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
        return name;
      };
      graph.initializer!.push({ name: "two", dims: [], dataType: FLOAT, rawData: new Uint8Array(Float32Array.of(2).buffer) });
      graph.initializer!.push({ name: "epsilon", dims: [], dataType: FLOAT, rawData: new Uint8Array(Float32Array.of(1e-12).buffer) });
      int64s("index_0", [0]);
      const constants = new Map(graph.initializer!.map((t) => [t.name!, t]));
      const nodes: onnx.INodeProto[] = [];
      let n = 0;
      const node = (opType: string, input: string[], attribute: onnx.IAttributeProto[] = [], output = `torch_${n++}`) => {
        nodes.push({ opType, input, output: [output], name: `${output}/node`, attribute });
        return output;
      };
      const lastAxis = [{ name: "axes", type: onnx.AttributeProto.AttributeType.INTS, ints: [-1] }];
      for (const original of graph.node!) {
        if (original.opType === "LayerNormalization") {
          const [x, gamma, beta] = original.input!;
          const centred = node("Sub", [x, node("ReduceMean", [x], lastAxis)]);
          const variance = node("ReduceMean", [node("Pow", [centred, "two"])], lastAxis);
          const normed = node("Div", [centred, node("Sqrt", [node("Add", [variance, "epsilon"])])]);
          node("Add", [node("Mul", [normed, gamma]), beta], [], original.output![0]);
        } else if (original.opType === "Reshape" && constants.has(original.input![1])) {
          // view(batch, -1, ...): the batch size read from the input's shape, the rest as the exporter leaves them
          const target = Array.from(new BigInt64Array(new Uint8Array(constants.get(original.input![1])!.rawData!).buffer), Number);
          const batch = node("Gather", [node("Shape", [original.input![0]]), "index_0"], [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]);
          const rest = int64s(`${original.name}/rest`, [-1, ...target.slice(2)]);
          const shape = node("Concat", [batch, rest], [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 0 }]);
          nodes.push({ ...original, input: [original.input![0], shape] });
        } else {
          nodes.push(original);
        }
      }
      graph.node = nodes;
    });
    const spelled = onnx.ModelProto.decode(readFileSync(file)).graph!;
    assert.equal(spelled.node!.filter((node) => node.opType === "LayerNormalization").length, 0);
    const producers = new Map(spelled.node!.map((node) => [node.output![0], node.opType]));
    assert.ok(spelled.node!.filter((node) => node.opType === "Reshape").every((node) => producers.get(node.input![1]) === "Concat"));
    const out = join(dir, "torch-export.narrowed.onnx");
    const prepared = await firstTokenGraph(ort, file, out);
    assert.ok(prepared, "narrowed");
    // The computed reshape keeps the slice below the attention's output reshape; the same three projections narrowed.
    assert.deepEqual({ narrowed: prepared.narrowed, slices: prepared.slices }, { narrowed: 3, slices: 2 });
    const options = { graphOptimizationLevel: "all" as const };
    const [narrowed, full] = [await ort.InferenceSession.create(out, options), await ort.InferenceSession.create(file, options)];
    try {
      const logits = await prepared.probeLogits(narrowed);
      assert.deepEqual(logits, await prepared.probeLogits(full));
      assert.equal(logitsDifference(logits, await prepared.probeLogits(full)), 0);
    } finally {
      await Promise.all([narrowed.release(), full.release()]);
    }
  });

  it("narrows nothing above an operation it cannot prove position-wise, and stays exact", async () => {
    // A cumulative sum over the sequence before the last layer norm mixes positions: the slice must stay below it.
    const file = variant("cumsum", (graph) => {
      const gather = firstTokenGather(graph);
      const norm = graph.node!.find((node) => node.output![0] === gather.input![0])!;
      const mixed = `${norm.input![0]}/cumsum`;
      graph.initializer!.push({ name: "cumsum_axis", dims: [], dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.of(1n).buffer) });
      graph.node!.splice(graph.node!.indexOf(norm), 0, { opType: "CumSum", input: [norm.input![0], "cumsum_axis"], output: [mixed], name: "cumsum" });
      norm.input![0] = mixed;
    });
    // Only the layer norm sits between the cumulative sum and the gather: no projection can be narrowed.
    assert.equal(await firstTokenGraph(ort, file, `${file}.narrowed`), undefined);
    assert.equal(existsSync(`${file}.narrowed`), false, "nothing written");
  });
});
