/**
 * A real transformer encoder for sequence classification, written as an ONNX graph with fixed random
 * weights: embeddings (word, position, optional token type), self-attention with the attention mask
 * applied (so a padding mistake changes the scores), feed-forward layers with GELU, and a classifier on
 * the first token. The graph takes `input_ids`, `attention_mask` (and `token_type_ids` when asked)
 * and returns `logits` [batch, numLabels], like the models transformers.js loads.
 */
import { onnx } from "onnx-proto";
import { InputError } from "../../errors";

/** The architecture's sizes. */
export interface EncoderSpec {
  vocabSize: number;
  hidden: number;
  heads: number;
  layers: number;
  intermediate: number;
  maxPositions: number;
  numLabels: number;
  /** Whether the graph takes `token_type_ids` (BERT-style) and adds a token-type embedding. */
  tokenTypes: boolean;
  seed: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT8 = onnx.TensorProto.DataType.INT8;

/** mulberry32: a small seeded PRNG, so the same spec always gives the same weights. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;
  private readonly uniform: () => number;

  constructor(seed: number, private readonly quantize: boolean) {
    this.uniform = seededRandom(seed);
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  private gaussian(): number {
    const u = Math.max(this.uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  constant(name: string, dims: number[], values: Float32Array | BigInt64Array | Int8Array, dataType = FLOAT): string {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name, dims, dataType, rawData: bytes });
    return name;
  }

  int64s(name: string, values: number[], dims = [values.length]): string {
    return this.constant(name, dims, BigInt64Array.from(values.map(BigInt)), INT64);
  }

  /** Random normal weights; matrices feeding MatMul are stored as int8 in the quantized variant. */
  weight(name: string, dims: number[], std: number, mean = 0, matmul = false): string {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = mean + std * this.gaussian();
    if (!(this.quantize && matmul)) return this.constant(name, dims, values);
    let absMax = 0;
    for (const value of values) absMax = Math.max(absMax, Math.abs(value));
    const scale = absMax / 127 || 1;
    const quantized = Int8Array.from(values, (value) => Math.round(value / scale));
    const q = this.constant(`${name}_quantized`, dims, quantized, INT8);
    const s = this.constant(`${name}_scale`, [], Float32Array.of(scale));
    const z = this.constant(`${name}_zero_point`, [], Int8Array.of(0), INT8);
    return this.node("DequantizeLinear", [q, s, z]);
  }

  node(opType: string, inputs: string[], attributes: onnx.IAttributeProto[] = [], output?: string): string {
    const out = output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, input: inputs, output: [out], name: this.fresh(`${opType}_node`), attribute: attributes });
    return out;
  }

  linear(x: string, prefix: string, inSize: number, outSize: number, std: number): string {
    if (this.quantize) return this.dynamicQuantizedLinear(x, prefix, inSize, outSize, std);
    const w = this.weight(`${prefix}.weight`, [inSize, outSize], std, 0, true);
    const b = this.weight(`${prefix}.bias`, [outSize], 0.02);
    return this.node("Add", [this.node("MatMul", [x, w]), b]);
  }

  /**
   * A linear layer as ONNX Runtime's dynamic quantization writes it (what the hub's q8 files hold):
   * int8 weights, activations quantized to uint8 at run time, an integer MatMul, then rescaled to float.
   * The same random draws as the fp32 layer, so the two variants are the same model.
   */
  private dynamicQuantizedLinear(x: string, prefix: string, inSize: number, outSize: number, std: number): string {
    const values = new Float32Array(inSize * outSize);
    for (let i = 0; i < values.length; i++) values[i] = std * this.gaussian();
    let absMax = 0;
    for (const value of values) absMax = Math.max(absMax, Math.abs(value));
    const scale = absMax / 127 || 1;
    const w = this.constant(`${prefix}.weight_quantized`, [inSize, outSize], Int8Array.from(values, (value) => Math.round(value / scale)), INT8);
    const wScale = this.constant(`${prefix}.weight_scale`, [], Float32Array.of(scale));
    const wZero = this.constant(`${prefix}.weight_zero_point`, [], Int8Array.of(0), INT8);
    const b = this.weight(`${prefix}.bias`, [outSize], 0.02);
    const [xq, xScale, xZero] = ["quantized", "scale", "zero_point"].map((part) => this.fresh(`${prefix}.input_${part}`));
    this.nodes.push({ opType: "DynamicQuantizeLinear", input: [x], output: [xq, xScale, xZero], name: this.fresh("DynamicQuantizeLinear_node") });
    const product = this.node("Cast", [this.node("MatMulInteger", [xq, w, xZero, wZero])], [intAttr("to", FLOAT)]);
    return this.node("Add", [this.node("Mul", [product, this.node("Mul", [xScale, wScale])]), b]);
  }

  layerNorm(x: string, prefix: string, size: number): string {
    const gamma = this.weight(`${prefix}.gamma`, [size], 0.05, 1);
    const beta = this.weight(`${prefix}.beta`, [size], 0.05);
    return this.node("LayerNormalization", [x, gamma, beta], [intAttr("axis", -1), floatAttr("epsilon", 1e-12)]);
  }
}

function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}
function intsAttr(name: string, ints: number[]): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints };
}
function floatAttr(name: string, f: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f };
}

function tensorInput(name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

/** The encoded ONNX model (`ModelProto` bytes); `quantize` stores MatMul weights as int8. */
export function buildEncoderModel(spec: EncoderSpec, quantize = false): Uint8Array {
  const { hidden, heads, layers, intermediate } = spec;
  if (hidden % heads !== 0) throw new InputError(`hidden size ${hidden} is not divisible by ${heads} heads`);
  const headSize = hidden / heads;
  const g = new GraphBuilder(spec.seed, quantize);

  // Embeddings: word + position (+ token type), then LayerNorm.
  const wordEmbeddings = g.weight("embeddings.word", [spec.vocabSize, hidden], 1);
  const positionEmbeddings = g.weight("embeddings.position", [spec.maxPositions, hidden], 0.5);
  let embedded = g.node("Gather", [wordEmbeddings, "input_ids"], [intAttr("axis", 0)]);
  const shape = g.node("Shape", ["input_ids"]);
  const seqLen = g.node("Gather", [shape, g.int64s("one_scalar", [1], [])], [intAttr("axis", 0)]);
  const positions = g.node("Range", [g.int64s("zero", [0], []), seqLen, g.int64s("step", [1], [])]);
  embedded = g.node("Add", [embedded, g.node("Gather", [positionEmbeddings, positions], [intAttr("axis", 0)])]);
  if (spec.tokenTypes) {
    const typeEmbeddings = g.weight("embeddings.token_type", [2, hidden], 0.5);
    embedded = g.node("Add", [embedded, g.node("Gather", [typeEmbeddings, "token_type_ids"], [intAttr("axis", 0)])]);
  }
  let x = g.layerNorm(embedded, "embeddings.norm", hidden);

  // Additive attention mask [batch, 1, 1, seq]: 0 where attended, -1e9 on padding.
  const maskFloat = g.node("Cast", ["attention_mask"], [intAttr("to", FLOAT)]);
  const inverted = g.node("Sub", [g.constant("one", [], Float32Array.of(1)), maskFloat]);
  const additive = g.node("Mul", [inverted, g.constant("mask_value", [], Float32Array.of(-1e9))]);
  const mask = g.node("Unsqueeze", [additive, g.int64s("mask_axes", [1, 2])]);

  const headsShape = g.int64s("heads_shape", [0, 0, heads, headSize]);
  const mergedShape = g.int64s("merged_shape", [0, 0, hidden]);
  const scale = g.constant("attention_scale", [], Float32Array.of(1 / Math.sqrt(headSize)));
  const attentionStd = 1 / Math.sqrt(hidden);
  for (let layer = 0; layer < layers; layer++) {
    const p = `layer${layer}`;
    const split = (name: string, perm: number[]) =>
      g.node("Transpose", [g.node("Reshape", [g.linear(x, `${p}.${name}`, hidden, hidden, attentionStd), headsShape])], [
        intsAttr("perm", perm),
      ]);
    const q = split("query", [0, 2, 1, 3]);
    const k = split("key", [0, 2, 3, 1]);
    const v = split("value", [0, 2, 1, 3]);
    const scores = g.node("Add", [g.node("Mul", [g.node("MatMul", [q, k]), scale]), mask]);
    const probs = g.node("Softmax", [scores], [intAttr("axis", -1)]);
    const context = g.node("Reshape", [
      g.node("Transpose", [g.node("MatMul", [probs, v])], [intsAttr("perm", [0, 2, 1, 3])]),
      mergedShape,
    ]);
    const attended = g.linear(context, `${p}.attention_output`, hidden, hidden, attentionStd);
    x = g.layerNorm(g.node("Add", [x, attended]), `${p}.attention_norm`, hidden);

    // GELU(h) = 0.5 * h * (1 + erf(h / sqrt(2)))
    const h = g.linear(x, `${p}.intermediate`, hidden, intermediate, attentionStd);
    const erf = g.node("Erf", [g.node("Mul", [h, g.constant(`${p}.inv_sqrt2`, [], Float32Array.of(Math.SQRT1_2))])]);
    const gelu = g.node("Mul", [
      g.node("Mul", [h, g.constant(`${p}.half`, [], Float32Array.of(0.5))]),
      g.node("Add", [erf, g.constant(`${p}.one`, [], Float32Array.of(1))]),
    ]);
    const out = g.linear(gelu, `${p}.output`, intermediate, hidden, 1 / Math.sqrt(intermediate));
    x = g.layerNorm(g.node("Add", [x, out]), `${p}.output_norm`, hidden);
  }

  // Classifier on the first token ([CLS] / <s>): dense + tanh, then the label projection.
  const first = g.node("Gather", [x, g.int64s("first_token", [0], [])], [intAttr("axis", 1)]);
  const pooled = g.node("Tanh", [g.linear(first, "pooler", hidden, hidden, attentionStd)]);
  const w = g.weight("classifier.weight", [hidden, spec.numLabels], 2 / Math.sqrt(hidden), 0, true);
  const b = g.weight("classifier.bias", [spec.numLabels], 0.1);
  g.node("Add", [g.node("MatMul", [pooled, w]), b], [], "logits");

  const inputs = [
    tensorInput("input_ids", INT64, ["batch_size", "sequence_length"]),
    tensorInput("attention_mask", INT64, ["batch_size", "sequence_length"]),
  ];
  if (spec.tokenTypes) inputs.push(tensorInput("token_type_ids", INT64, ["batch_size", "sequence_length"]));
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "zero-shot-ts test model generator",
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "nli_encoder",
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: [tensorInput("logits", FLOAT, ["batch_size", spec.numLabels])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
