/**
 * Computing only what the classifier reads. An encoder classifier (BERT, DistilBERT, RoBERTa, DeBERTa
 * cross-encoders) reads its last hidden state at the first token only (`[CLS]` / `<s>`): an exported
 * graph selects it with `Gather(axis 1, index 0)`. Everything between the last attention and that
 * selection works position by position (the attention output projection, the residual adds, the layer
 * norms, the feed-forward layers), so it can run on the first position alone. On a 6-layer DistilBERT
 * that is 9/12 of the last layer, 12.5% of the arithmetic; the scores are the same up to float rounding,
 * and a pair's scores still do not depend on what it is batched with.
 *
 * The rewrite walks back from the selection and moves a `Slice(0:1)` on the sequence axis above every
 * operation it can prove position-wise (elementwise with broadcasting, MatMul by a weight, Transpose,
 * Softmax and layer norm over other axes, a Reshape that keeps the axis), stopping where a tensor is
 * still needed whole or an operation is not on that list. The shapes it reasons with come from running the original
 * graph once on a probe input; the rewritten graph's logits are then checked against the original's on
 * that input (both optimised as they will run), and the caller keeps the original graph unless they agree.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import type { onnx as Onnx } from "onnx-proto";

type Ort = typeof import("onnxruntime-node");
type NodeProto = Onnx.INodeProto;
type ModelProto = Onnx.ModelProto;

/** onnx-proto (protobufjs), required on first use: only a first load of a model needs it. */
function onnxProto(): typeof Onnx {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("onnx-proto") as { onnx: typeof Onnx }).onnx;
}

/** What the rewrite changed. */
export interface FirstTokenRewrite {
  /** Weight projections (MatMul with a constant matrix) now computed at the first position only. */
  narrowed: number;
  /** Slice nodes inserted where a tensor is still needed whole (the last layer's input, for its keys and values). */
  slices: number;
}

/** The rewrite's version, part of a saved graph's key: a changed rewrite never reads a graph an older one saved. */
export const FIRST_TOKEN_REWRITE_VERSION = 2;

/** Largest |narrowed − full| / (1 + |full|) over the probe's logits that still counts as the same scores. */
export const FIRST_TOKEN_TOLERANCE = 1e-5;

/** Models bigger than this are left alone: the rewrite holds the model in memory twice, beside a session of it. */
const MAX_MODEL_BYTES = 1024 ** 3;

const ELEMENTWISE = new Set([
  "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Where", "Equal", "Less", "Greater", "And", "Or", "Not",
  "Cast", "Erf", "Tanh", "Relu", "Sigmoid", "Sqrt", "Neg", "Exp", "Log", "Abs", "Reciprocal", "Identity", "Clip", "Softplus",
]);
const REDUCE = new Set(["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"]);

/** Reads int64 (or int32) values of a constant tensor. */
function tensorInts(tensor: Onnx.ITensorProto): number[] {
  const onnx = onnxProto();
  if (tensor.int64Data && tensor.int64Data.length > 0) return tensor.int64Data.map(Number);
  if (tensor.int32Data && tensor.int32Data.length > 0) return [...tensor.int32Data];
  const raw = tensor.rawData;
  if (!raw || raw.length === 0) return [];
  const bytes = new Uint8Array(raw);
  if (tensor.dataType === onnx.TensorProto.DataType.INT64) return Array.from(new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8), Number);
  if (tensor.dataType === onnx.TensorProto.DataType.INT32) return Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  return [];
}

/** Bytes of one element of an ONNX tensor data type (1 for the 1-byte and unknown types). */
function elementBytes(dataType: number): number {
  const T = onnxProto().TensorProto.DataType;
  if (dataType === T.DOUBLE || dataType === T.INT64 || dataType === T.UINT64) return 8;
  if (dataType === T.FLOAT || dataType === T.INT32 || dataType === T.UINT32) return 4;
  if (dataType === T.FLOAT16 || dataType === T.BFLOAT16 || dataType === T.INT16 || dataType === T.UINT16) return 2;
  return 1;
}

function attribute(node: NodeProto, name: string): Onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}
function intAttribute(node: NodeProto, name: string): number | undefined {
  const value = attribute(node, name);
  return value ? Number(value.i) : undefined;
}
function intsAttribute(node: NodeProto, name: string): number[] | undefined {
  const value = attribute(node, name);
  return value?.ints ? value.ints.map(Number) : undefined;
}
/** A graph's constant tensors by name: its initializers and the values of its Constant nodes. */
function constantTensors(graph: Onnx.IGraphProto): Map<string, Onnx.ITensorProto> {
  const constants = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", t]));
  for (const node of graph.node ?? []) {
    const value = node.opType === "Constant" ? attribute(node, "value")?.t : undefined;
    if (value && node.output?.[0]) constants.set(node.output[0], value);
  }
  return constants;
}

/**
 * Whether `node` picks the first position of the sequence axis: `Gather(axis 1, index 0)` (as `x[:, 0]`
 * exports), with the index a single constant 0. (Its data's rank, 3, is checked where shapes are known.)
 */
function selectsFirstToken(node: NodeProto, constants: ReadonlyMap<string, Onnx.ITensorProto>): boolean {
  if (node.opType !== "Gather" || (node.domain ?? "") !== "" || ![1, -2].includes(intAttribute(node, "axis") ?? 0)) return false;
  const indices = constants.get(node.input?.[1] ?? "");
  if (!indices || (indices.dims?.length ?? 0) > 1) return false;
  const values = tensorInts(indices);
  return values.length === 1 && values[0] === 0;
}

/** An int64 tensor (raw little-endian data). */
function int64Tensor(name: string, values: readonly number[], dims: number[] = [values.length]): Onnx.ITensorProto {
  return { name, dims, dataType: onnxProto().TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) };
}

const positive = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

interface Request {
  node: number;
  slot: number;
  axis: number;
}

/**
 * Rewrites `model` in place so that everything after the last attention runs at the first position
 * only; `shapes` holds every tensor's shape on a probe input. Undefined (and `model` untouched) when the
 * graph has no first-token selection or nothing could be narrowed.
 */
export function narrowToFirstToken(model: ModelProto, shapes: ReadonlyMap<string, readonly number[]>): FirstTokenRewrite | undefined {
  const graph = model.graph;
  if (!graph?.node) return undefined;
  // A node with a subgraph (If, Loop, Scan) may read tensors this walk does not see.
  if (graph.node.some((node) => node.attribute?.some((a) => a.g || (a.graphs && a.graphs.length > 0)))) return undefined;
  const opset = Number(model.opsetImport?.find((o) => !o.domain || o.domain === "ai.onnx")?.version ?? 0);
  if (opset < 13) return undefined; // Slice with inputs, Softmax over one axis, ReduceSum's axes input: opset 13's forms
  const nodes = graph.node.map((node) => ({ ...node, input: [...(node.input ?? [])], output: [...(node.output ?? [])] }));

  const constants = constantTensors(graph);
  const shapeOf = (name: string): readonly number[] | undefined => shapes.get(name) ?? constants.get(name)?.dims?.map(Number);
  const constantInts = (name: string): number[] | undefined => {
    const tensor = constants.get(name);
    return tensor ? tensorInts(tensor) : undefined;
  };

  const consumers = new Map<string, { node: number; slot: number }[]>();
  nodes.forEach((node, index) =>
    node.input.forEach((name, slot) => {
      if (!name) return;
      const list = consumers.get(name) ?? [];
      list.push({ node: index, slot });
      consumers.set(name, list);
    }),
  );
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ""));
  const producer = new Map<string, number>();
  nodes.forEach((node, index) => node.output.forEach((name) => name && producer.set(name, index)));

  const requests = new Map<string, Request[]>();
  const request = (tensor: string, node: number, slot: number, axis: number) => {
    const list = requests.get(tensor) ?? [];
    list.push({ node, slot, axis });
    requests.set(tensor, list);
  };

  // The seeds: Gather(axis 1, constant index 0) of a [batch, sequence, hidden] tensor.
  let seeds = 0;
  nodes.forEach((node, index) => {
    if (!selectsFirstToken(node, constants) || shapeOf(node.input[0])?.length !== 3) return;
    request(node.input[0], index, 0, 1);
    seeds++;
  });
  if (seeds === 0) return undefined;

  /** For a node whose output 0 is narrowed on `axis`: which inputs to narrow on which axes, or undefined. */
  const rule = (node: NodeProto & { input: string[]; output: string[] }, axis: number): [number, number][] | undefined => {
    if ((node.domain ?? "") !== "") return undefined;
    const out = shapeOf(node.output[0]);
    if (!out) return undefined;
    const op = node.opType ?? "";
    const broadcastInputs = (slots: number[]): [number, number][] | undefined => {
      const result: [number, number][] = [];
      for (const slot of slots) {
        const name = node.input[slot];
        if (!name) continue;
        const dims = shapeOf(name);
        if (!dims) return undefined;
        const k = axis - (out.length - dims.length);
        if (k < 0 || (dims[k] === 1 && out[axis] !== 1)) continue; // broadcast along the axis: every position reads the same
        if (dims[k] !== out[axis]) return undefined;
        result.push([slot, k]);
      }
      return result;
    };
    if (ELEMENTWISE.has(op)) return broadcastInputs(node.input.map((_, slot) => slot));
    if (op === "Dropout") return broadcastInputs([0]);
    if (op === "MatMul" || op === "MatMulInteger") {
      const a = shapeOf(node.input[0]);
      const b = shapeOf(node.input[1]);
      if (!a || !b || a.length < 2 || b.length < 2) return undefined;
      if (op === "MatMulInteger" && node.input.slice(2).some((name) => name && product(shapeOf(name) ?? [2]) !== 1)) return undefined;
      const rank = out.length;
      // A one-row product of two activations (attention probabilities by values) goes through ONNX
      // Runtime's single-row kernel, whose rounding changes with the padded length: a pair's scores would
      // then depend on what it was batched with. The slice stays below it.
      if (axis === rank - 2 && !constants.has(node.input[1])) return undefined;
      if (axis === rank - 2) return [[0, a.length - 2]];
      if (axis === rank - 1) return [[1, b.length - 1]];
      return broadcastInputs([0, 1]);
    }
    if (op === "Transpose") {
      const perm = intsAttribute(node, "perm") ?? out.map((_, i) => out.length - 1 - i);
      return [[0, perm[axis]]];
    }
    if (op === "Softmax" || op === "LogSoftmax") {
      const over = positive(intAttribute(node, "axis") ?? -1, out.length);
      return over === axis ? undefined : [[0, axis]];
    }
    if (op === "LayerNormalization") {
      const from = positive(intAttribute(node, "axis") ?? -1, out.length);
      return axis < from ? [[0, axis]] : undefined;
    }
    if (REDUCE.has(op)) {
      if ((intAttribute(node, "keepdims") ?? 1) !== 1) return undefined;
      const axes = intsAttribute(node, "axes") ?? (node.input[1] ? constantInts(node.input[1]) : undefined);
      if (!axes || axes.length === 0) return undefined;
      return axes.map((a) => positive(a, out.length)).includes(axis) ? undefined : [[0, axis]];
    }
    if (op === "Reshape") {
      const input = shapeOf(node.input[0]);
      const target = constantInts(node.input[1] ?? "");
      if (!input || !target || target.length !== out.length || (intAttribute(node, "allowzero") ?? 0) !== 0) return undefined;
      // The input axis holding the same elements: the same extent, and the same product of the axes before it.
      const before = product(out.slice(0, axis));
      let j = 0;
      while (j < input.length && product(input.slice(0, j)) < before) j++;
      if (j >= input.length || product(input.slice(0, j)) !== before || input[j] !== out[axis]) return undefined;
      // After the slice the target must give 1 on the axis: -1 (inferred) or 0 (copied from the sliced axis).
      if (!(target[axis] === -1 || (target[axis] === 0 && j === axis))) return undefined;
      if (target.some((value, i) => i !== axis && value === 0 && i === j)) return undefined;
      return [[0, j]];
    }
    return undefined;
  };

  const insertAfter = new Map<number, NodeProto[]>(); // node index (-1: before all) -> Slice nodes to insert after it
  const sliceConstants = new Map<string, Onnx.ITensorProto>();
  const int64s = (name: string, values: number[]): string => {
    if (!sliceConstants.has(name) && !constants.has(name)) {
      sliceConstants.set(name, int64Tensor(name, values));
    }
    return name;
  };
  const taken = new Set<string>([...producer.keys(), ...constants.keys(), ...(graph.input ?? []).map((i) => i.name ?? "")]);
  let slices = 0;
  const materialize = (tensor: string, list: Request[]) => {
    for (const axis of [...new Set(list.map((r) => r.axis))]) {
      let name = `${tensor}/first_token`;
      for (let n = 1; taken.has(name); n++) name = `${tensor}/first_token_${n}`;
      taken.add(name);
      const slice: NodeProto = {
        opType: "Slice",
        name: `${name}/Slice`,
        input: [tensor, int64s("first_token/starts", [0]), int64s("first_token/ends", [1]), int64s(`first_token/axes_${axis}`, [axis])],
        output: [name],
      };
      const at = producer.get(tensor) ?? -1;
      insertAfter.set(at, [...(insertAfter.get(at) ?? []), slice]);
      for (const r of list.filter((r) => r.axis === axis)) nodes[r.node].input[r.slot] = name;
      slices++;
    }
  };

  let narrowed = 0;
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index];
    for (const [o, tensor] of node.output.entries()) {
      const list = requests.get(tensor);
      if (!list) continue;
      requests.delete(tensor);
      const users = consumers.get(tensor) ?? [];
      const axes = new Set(list.map((r) => r.axis));
      const othersUnused = node.output.every((name, i) => i === o || !name || (!graphOutputs.has(name) && !consumers.has(name)));
      const wholly = o === 0 && othersUnused && axes.size === 1 && !graphOutputs.has(tensor) && users.length === list.length;
      const inputs = wholly ? rule(node, list[0].axis) : undefined;
      if (!inputs) {
        materialize(tensor, list);
        continue;
      }
      // Every reader takes the first position only: the node itself computes only that.
      for (const [slot, axis] of inputs) request(node.input[slot], index, slot, axis);
      if ((node.opType === "MatMul" || node.opType === "MatMulInteger") && constants.has(node.input[1])) narrowed++;
    }
  }
  for (const [tensor, list] of requests) materialize(tensor, list); // graph inputs and initializers
  if (narrowed === 0) return undefined;

  const rewritten: NodeProto[] = [...(insertAfter.get(-1) ?? [])];
  nodes.forEach((node, index) => rewritten.push(node, ...(insertAfter.get(index) ?? [])));
  graph.node = rewritten;
  graph.initializer = [...(graph.initializer ?? []), ...sliceConstants.values()];
  graph.valueInfo = []; // shapes recorded for the full graph no longer hold
  return { narrowed, slices };
}

/** A rewritten graph written to a file, with the probe to check a session of it against a session of the original. */
export interface PreparedFirstTokenGraph extends FirstTokenRewrite {
  /** A session's logits on the probe input. */
  probeLogits(session: InferenceSession): Promise<Float32Array>;
}

/**
 * Largest |narrowed − full| / (1 + |full|) between two sessions' probe logits. Compare sessions
 * optimised alike: ONNX Runtime's own fusions move a quantized model's logits by about 3e-3.
 */
export function logitsDifference(narrowed: Float32Array, full: Float32Array): number {
  if (narrowed.length !== full.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < narrowed.length; i++) worst = Math.max(worst, Math.abs(narrowed[i] - full[i]) / (1 + Math.abs(full[i])));
  return Number.isNaN(worst) ? Infinity : worst;
}

const INPUTS = new Set(["input_ids", "attention_mask", "token_type_ids"]);

/**
 * Reads the ONNX model at `modelFile`, narrows it (`narrowToFirstToken`) and writes the result to
 * `outFile` (so that the caller opens it from disk while this function's copies of the model are
 * garbage). Undefined, with nothing written, for a model this does not apply to: no first-token
 * selection, inputs other than `input_ids` / `attention_mask` / `token_type_ids`, weights in external
 * files, or a file too large to hold twice.
 */
export async function firstTokenGraph(ort: Ort, modelFile: string, outFile: string, options: { vocabSize?: number } = {}): Promise<PreparedFirstTokenGraph | undefined> {
  if (statSync(modelFile).size > MAX_MODEL_BYTES) return undefined;
  const onnx = onnxProto();
  const model = onnx.ModelProto.decode(readFileSync(modelFile));
  const graph = model.graph;
  if (!graph?.node || !graph.output?.[0]?.name) return undefined;
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name));
  if ((graph.initializer ?? []).some((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)) return undefined;
  const inputs = (graph.input ?? []).map((i) => i.name ?? "").filter((name) => !initializerNames.has(name));
  if (!inputs.includes("input_ids") || !inputs.includes("attention_mask") || inputs.some((name) => !INPUTS.has(name))) return undefined;
  // No first-token selection (bart-large-mnli reads its last token, -1): nothing to narrow, so no probe run either.
  const constants = constantTensors(graph);
  if (!graph.node.some((node) => selectsFirstToken(node, constants))) return undefined;

  // The probe: 2 rows, the second padded, of a length no weight has as a dimension (so the sequence axis is unambiguous).
  const weightDims = new Set((graph.initializer ?? []).flatMap((t) => (t.dims ?? []).map(Number)));
  const length = [13, 17, 19, 23, 29, 31, 37].find((n) => !weightDims.has(n)) ?? 41;
  const rows = 2;
  // Token ids the word embedding has rows for: its table's first dimension, else the config's vocabulary.
  const embedding = graph.node.find((node) => node.opType === "Gather" && node.input?.[1] === "input_ids" && initializerNames.has(node.input[0]));
  const rowsOfTable = (graph.initializer ?? []).find((t) => t.name === embedding?.input?.[0])?.dims?.map(Number)[0];
  const vocab = Math.max(8, Math.min(rowsOfTable ?? options.vocabSize ?? 100, 30000));
  let state = 12345;
  const nextId = () => ((state = (state * 1103515245 + 12345) >>> 0), 5 + (state % (vocab - 5)));
  const feeds: Record<string, OrtTensor> = {};
  const ids = BigInt64Array.from({ length: rows * length }, () => BigInt(nextId()));
  const mask = BigInt64Array.from({ length: rows * length }, (_, i) => (i >= length && i % length >= length - 4 ? 0n : 1n));
  const types = BigInt64Array.from({ length: rows * length }, (_, i) => (i % length >= Math.floor(length / 2) ? 1n : 0n));
  feeds.input_ids = new ort.Tensor("int64", ids, [rows, length]);
  feeds.attention_mask = new ort.Tensor("int64", mask, [rows, length]);
  if (inputs.includes("token_type_ids")) feeds.token_type_ids = new ort.Tensor("int64", types, [rows, length]);

  // Every tensor's shape on the probe: the original graph run once with every node output as a graph
  // output. Shapes do not depend on the weights' values, so the probe's weights are zeros made at run time
  // (ConstantOfShape), one at a time: the probe holds no second copy of the model.
  const logitsName = graph.output[0].name;
  const [outputs, initializers, nodes] = [graph.output, graph.initializer ?? [], graph.node];
  const listed = new Set(outputs.map((o) => o.name));
  const probeOutputs = graph.node.flatMap((node) => (node.output ?? []).filter((name) => name && !listed.has(name) && listed.add(name)).map((name) => ({ name })));
  const large = new Set(initializers.filter((t) => product((t.dims ?? []).map(Number)) > 1024));
  graph.output = [...outputs, ...probeOutputs];
  graph.initializer = initializers.filter((t) => !large.has(t));
  graph.node = [
    ...[...large].map((t) => ({
      opType: "ConstantOfShape",
      name: `${t.name}/zeros`,
      input: [`${t.name}/shape`],
      output: [t.name ?? ""],
      attribute: [{ name: "value", type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims: [1], dataType: t.dataType, rawData: new Uint8Array(8).subarray(0, elementBytes(t.dataType ?? 1)) } }],
    })),
    ...nodes,
  ];
  graph.initializer.push(...[...large].map((t) => int64Tensor(`${t.name}/shape`, (t.dims ?? []).map(Number))));
  let probe: InferenceSession;
  try {
    probe = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { graphOptimizationLevel: "disabled", logSeverityLevel: 3 });
  } finally {
    [graph.output, graph.initializer, graph.node] = [outputs, initializers, nodes];
  }
  const shapes = new Map<string, number[]>();
  try {
    const results = await probe.run(feeds);
    for (const [name, tensor] of Object.entries(results)) shapes.set(name, tensor.dims.map(Number));
  } finally {
    await probe.release();
  }

  const rewrite = narrowToFirstToken(model, shapes);
  if (!rewrite) return undefined;
  writeFileSync(outFile, onnx.ModelProto.encode(model).finish());
  return {
    ...rewrite,
    async probeLogits(session: InferenceSession): Promise<Float32Array> {
      const result = await session.run(Object.fromEntries(session.inputNames.map((name) => [name, feeds[name]])));
      return Float32Array.from((result[logitsName] ?? result[session.outputNames[0]]).data as Float32Array);
    },
  };
}
