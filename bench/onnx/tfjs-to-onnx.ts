/**
 * Converts a TensorFlow.js layers model (model.json + weights, as our training
 * exporter writes it) to ONNX, so ONNX Runtime Web can run the very same
 * weights in the bench. Driven by the topology, not by today's layer list:
 * Sequential and functional graphs, the usual CNN layers, and a clear error
 * naming any layer it does not know. Bench-only: nothing here ships.
 *
 * Layout: tfjs is NHWC; ONNX's Conv/Pool are NCHW. The graph takes the same
 * NHWC input as tfjs, transposes once, and tracks each tensor's layout so that
 * Flatten and Concatenate keep Keras's channel-last order.
 */
import { Writer } from './protobuf';

interface LayerJson {
  class_name: string;
  config: Record<string, any>;
  name?: string;
  inbound_nodes?: any[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface LayersModelJson {
  modelTopology: any;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export interface ConvertOptions {
  /** Append softmax(logits / temperature) as output "probabilities" (the card's calibration). */
  temperature?: number;
  /** The model's last layer already gives probabilities (card output "probabilities"). */
  outputIsProbabilities?: boolean;
  opset?: number;
}

type Layout = 'nchw' | 'flat';
interface Value {
  name: string;
  rank: number;
  layout: Layout;
}

const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;
type Attr = { name: string } & ({ f: number } | { i: number } | { s: string } | { ints: number[] } | { floats: number[] });

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Attr[];
}

interface Tensor {
  name: string;
  dims: number[];
  type: typeof FLOAT | typeof INT64;
  raw: Uint8Array;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Every weight as float32, by name, from the manifest and the concatenated weight bytes. */
export function readWeights(manifest: LayersModelJson['weightsManifest'], data: ArrayBuffer): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of manifest.flatMap((g) => g.weights)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    let values: Float32Array;
    if (!q) {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
      values = new Float32Array(data.slice(offset, offset + 4 * n));
      offset += 4 * n;
    } else if (q.dtype === 'float16') {
      const half = new Uint16Array(data.slice(offset, offset + 2 * n));
      values = Float32Array.from(half, halfToFloat);
      offset += 2 * n;
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const bytes = q.dtype === 'uint8' ? 1 : 2;
      const raw = q.dtype === 'uint8' ? new Uint8Array(data.slice(offset, offset + n)) : new Uint16Array(data.slice(offset, offset + 2 * n));
      values = Float32Array.from(raw, (v) => v * (q.scale ?? 1) + (q.min ?? 0));
      offset += bytes * n;
    } else throw new Error(`weight ${spec.name}: quantization ${q.dtype} is not supported`);
    out.set(spec.name, { shape: spec.shape, values });
  }
  return out;
}

/** Reorders a row-major tensor: `perm[i]` is the source axis of output axis i. */
function transpose(values: Float32Array, shape: number[], perm: number[]): { values: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < idx.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = values[src];
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [v[0], v[1] ?? v[0]];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

class Graph {
  nodes: Node[] = [];
  initializers: Tensor[] = [];
  private counter = 0;

  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }
  add(op: string, inputs: string[], attrs: Attr[] = [], out?: string): string {
    const name = out ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [name], attrs });
    return name;
  }
  constant(name: string, values: Float32Array, dims: number[]): string {
    this.initializers.push({ name, dims, type: FLOAT, raw: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) });
    return name;
  }
  int64(name: string, values: number[]): string {
    const b = new BigInt64Array(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], type: INT64, raw: new Uint8Array(b.buffer) });
    return name;
  }
}

interface LayerContext {
  g: Graph;
  layer: LayerJson;
  cfg: Record<string, any>;
  name: string;
  weight(suffix: string): { shape: number[]; values: Float32Array };
  hasWeight(suffix: string): boolean;
}

function activation(g: Graph, x: Value, kind: string | undefined, cfg: Record<string, any> = {}): Value {
  const a = kind ?? 'linear';
  const on = (op: string, attrs: Attr[] = []) => ({ ...x, name: g.add(op, [x.name], attrs) });
  switch (a) {
    case 'linear':
      return x;
    case 'relu':
      return on('Relu');
    case 'relu6':
      return { ...x, name: g.add('Clip', [x.name, g.constant(g.fresh('zero'), new Float32Array([0]), []), g.constant(g.fresh('six'), new Float32Array([6]), [])]) };
    case 'sigmoid':
      return on('Sigmoid');
    case 'tanh':
      return on('Tanh');
    case 'elu':
      return on('Elu', [{ name: 'alpha', f: cfg.alpha ?? 1 }]);
    case 'selu':
      return on('Selu');
    case 'softplus':
      return on('Softplus');
    case 'swish':
    case 'silu':
      return { ...x, name: g.add('Mul', [x.name, g.add('Sigmoid', [x.name])]) };
    case 'softmax':
      return on('Softmax', [{ name: 'axis', i: x.layout === 'nchw' ? 1 : x.rank - 1 }]);
    default:
      throw new Error(`activation "${a}" is not supported by the ONNX converter`);
  }
}

/** Keras axis (on NHWC or flat) to the ONNX axis of the tracked layout. */
function onnxAxis(x: Value, axis: number): number {
  const a = axis < 0 ? x.rank + axis : axis;
  if (x.layout !== 'nchw') return a;
  return [0, 2, 3, 1][a]; // NHWC axis → NCHW axis
}

function convLike(ctx: LayerContext, x: Value, weightName: string, W: { shape: number[]; values: Float32Array }, group: number): Value {
  const { g, cfg, name } = ctx;
  const [sh, sw] = pair(cfg.strides, 1);
  const [dh, dw] = pair(cfg.dilation_rate, 1);
  const attrs: Attr[] = [
    { name: 'kernel_shape', ints: [W.shape[2], W.shape[3]] },
    { name: 'strides', ints: [sh, sw] },
    { name: 'dilations', ints: [dh, dw] },
    { name: 'group', i: group },
  ];
  if (cfg.padding === 'same') attrs.push({ name: 'auto_pad', s: 'SAME_UPPER' });
  else if (cfg.padding !== 'valid' && cfg.padding !== undefined) throw new Error(`${name}: padding "${cfg.padding}" is not supported`);
  const inputs = [x.name, g.constant(`${name}/${weightName}`, W.values, W.shape)];
  return { name: g.add('Conv', inputs, attrs, g.fresh(name)), rank: 4, layout: 'nchw' };
}

function withBias(ctx: LayerContext, x: Value): Value {
  if (ctx.cfg.use_bias === false || !ctx.hasWeight('bias')) return x;
  const b = ctx.weight('bias');
  const dims = x.layout === 'nchw' ? [b.values.length, 1, 1] : [b.values.length];
  return { ...x, name: ctx.g.add('Add', [x.name, ctx.g.constant(`${ctx.name}/bias`, b.values, dims)]) };
}

function pool(ctx: LayerContext, x: Value, op: 'MaxPool' | 'AveragePool'): Value {
  const { cfg } = ctx;
  const [kh, kw] = pair(cfg.pool_size, 2);
  const [sh, sw] = pair(cfg.strides ?? cfg.pool_size, 2);
  const attrs: Attr[] = [
    { name: 'kernel_shape', ints: [kh, kw] },
    { name: 'strides', ints: [sh, sw] },
  ];
  if (cfg.padding === 'same') attrs.push({ name: 'auto_pad', s: 'SAME_UPPER' });
  return { ...x, name: ctx.g.add(op, [x.name], attrs) };
}

function toNhwcFlat(g: Graph, x: Value): Value {
  const nhwc = x.layout === 'nchw' ? g.add('Transpose', [x.name], [{ name: 'perm', ints: [0, 2, 3, 1] }]) : x.name;
  return { name: g.add('Flatten', [nhwc], [{ name: 'axis', i: 1 }]), rank: 2, layout: 'flat' };
}

/** One Keras layer as ONNX nodes; returns its output value. */
function convertLayer(ctx: LayerContext, inputs: Value[]): Value {
  const { g, cfg, layer, name } = ctx;
  const x = inputs[0];
  switch (layer.class_name) {
    case 'Conv2D': {
      const k = ctx.weight('kernel'); // [kh, kw, in, out]
      const W = transpose(k.values, k.shape, [3, 2, 0, 1]);
      return activation(g, withBias(ctx, convLike(ctx, x, 'kernel', W, 1)), cfg.activation);
    }
    case 'DepthwiseConv2D': {
      const k = ctx.weight('depthwise_kernel'); // [kh, kw, in, mult]
      const [kh, kw, cin, mult] = k.shape;
      const t = transpose(k.values, k.shape, [2, 3, 0, 1]); // [in, mult, kh, kw]
      const W = { values: t.values, shape: [cin * mult, 1, kh, kw] };
      return activation(g, withBias(ctx, convLike(ctx, x, 'depthwise_kernel', W, cin)), cfg.activation);
    }
    case 'SeparableConv2D': {
      const d = ctx.weight('depthwise_kernel');
      const [kh, kw, cin, mult] = d.shape;
      const dt = transpose(d.values, d.shape, [2, 3, 0, 1]);
      const depth = convLike(ctx, x, 'depthwise_kernel', { values: dt.values, shape: [cin * mult, 1, kh, kw] }, cin);
      const p = ctx.weight('pointwise_kernel');
      const pw = transpose(p.values, p.shape, [3, 2, 0, 1]);
      const point = convLike({ ...ctx, cfg: { ...cfg, strides: 1, dilation_rate: 1, padding: 'valid' } }, depth, 'pointwise_kernel', pw, 1);
      return activation(g, withBias(ctx, point), cfg.activation);
    }
    case 'Dense': {
      if (x.rank !== 2) throw new Error(`${name}: Dense on a rank-${x.rank} input is not supported by the ONNX converter`);
      const k = ctx.weight('kernel');
      const y = g.add('MatMul', [x.name, g.constant(`${name}/kernel`, k.values, k.shape)]);
      return activation(g, withBias(ctx, { name: y, rank: 2, layout: 'flat' }), cfg.activation);
    }
    case 'MaxPooling2D':
      return pool(ctx, x, 'MaxPool');
    case 'AveragePooling2D':
      return pool(ctx, x, 'AveragePool');
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const y = g.add(layer.class_name === 'GlobalAveragePooling2D' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x.name]);
      if (cfg.keepdims) return { name: y, rank: 4, layout: 'nchw' };
      return { name: g.add('Flatten', [y], [{ name: 'axis', i: 1 }]), rank: 2, layout: 'flat' };
    }
    case 'Flatten':
      return toNhwcFlat(g, x);
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'AlphaDropout':
      return x; // inference: identity
    case 'Activation':
      return activation(g, x, cfg.activation);
    case 'ReLU': {
      if (cfg.negative_slope || cfg.threshold) throw new Error(`${name}: ReLU with negative_slope/threshold is not supported`);
      if (cfg.max_value == null) return activation(g, x, 'relu');
      return { ...x, name: g.add('Clip', [x.name, g.constant(g.fresh('zero'), new Float32Array([0]), []), g.constant(g.fresh('max'), new Float32Array([cfg.max_value]), [])]) };
    }
    case 'LeakyReLU':
      return { ...x, name: g.add('LeakyRelu', [x.name], [{ name: 'alpha', f: cfg.alpha ?? 0.3 }]) };
    case 'Softmax':
      return { ...x, name: g.add('Softmax', [x.name], [{ name: 'axis', i: onnxAxis(x, cfg.axis ?? -1) }]) };
    case 'BatchNormalization': {
      const axis = Array.isArray(cfg.axis) ? cfg.axis[0] : (cfg.axis ?? -1);
      if (onnxAxis(x, axis) !== 1) throw new Error(`${name}: BatchNormalization over axis ${axis} is not supported`);
      const mean = ctx.weight('moving_mean').values;
      const c = mean.length;
      const gamma = cfg.scale === false || !ctx.hasWeight('gamma') ? new Float32Array(c).fill(1) : ctx.weight('gamma').values;
      const beta = cfg.center === false || !ctx.hasWeight('beta') ? new Float32Array(c) : ctx.weight('beta').values;
      const inputsBn = [
        x.name,
        g.constant(`${name}/gamma`, gamma, [c]),
        g.constant(`${name}/beta`, beta, [c]),
        g.constant(`${name}/moving_mean`, mean, [c]),
        g.constant(`${name}/moving_variance`, ctx.weight('moving_variance').values, [c]),
      ];
      return { ...x, name: g.add('BatchNormalization', inputsBn, [{ name: 'epsilon', f: cfg.epsilon ?? 1e-3 }]) };
    }
    case 'ZeroPadding2D': {
      const p = cfg.padding;
      const [[top, bottom], [left, right]] = Array.isArray(p) ? (Array.isArray(p[0]) ? p : [[p[0], p[0]], [p[1], p[1]]]) : [[p, p], [p, p]];
      return { ...x, name: g.add('Pad', [x.name, g.int64(g.fresh('pads'), [0, 0, top, left, 0, 0, bottom, right])]) };
    }
    case 'Add':
    case 'Multiply':
    case 'Subtract':
    case 'Maximum':
    case 'Minimum': {
      const op = { Add: 'Add', Multiply: 'Mul', Subtract: 'Sub', Maximum: 'Max', Minimum: 'Min' }[layer.class_name]!;
      let acc = inputs[0].name;
      for (const other of inputs.slice(1)) acc = g.add(op, [acc, other.name]);
      return { ...x, name: acc };
    }
    case 'Average': {
      const sum = inputs.slice(1).reduce((acc, v) => g.add('Add', [acc, v.name]), inputs[0].name);
      return { ...x, name: g.add('Div', [sum, g.constant(g.fresh('n'), new Float32Array([inputs.length]), [])]) };
    }
    case 'Concatenate':
      return { ...x, name: g.add('Concat', inputs.map((v) => v.name), [{ name: 'axis', i: onnxAxis(x, cfg.axis ?? -1) }]) };
    default:
      throw new Error(`layer ${name} (${layer.class_name}) is not supported by the ONNX converter; add it to bench/onnx/tfjs-to-onnx.ts`);
  }
}

/** Sequential and functional topologies as one list: each layer with the names of the layers it reads. */
function layerGraph(topology: any): { layers: { layer: LayerJson; inbound: string[] }[]; inputShape: (number | null)[]; inputName: string; outputs: string[] } {
  const model = topology.model_config ?? topology;
  const cfg = model.config;
  const list: LayerJson[] = Array.isArray(cfg) ? cfg : cfg.layers;
  if (model.class_name === 'Sequential') {
    const first = list[0];
    const shape = first.config.batch_input_shape ?? (first.class_name === 'InputLayer' ? first.config.batch_input_shape ?? first.config.batch_shape : null);
    if (!shape) throw new Error('Sequential model without batch_input_shape on its first layer');
    const body = list.filter((l) => l.class_name !== 'InputLayer');
    let prev = 'input';
    const layers = body.map((layer) => {
      const entry = { layer, inbound: [prev] };
      prev = layer.config.name;
      return entry;
    });
    return { layers, inputShape: shape, inputName: 'input', outputs: [prev] };
  }
  // Functional ("Model" / "Functional"): inbound_nodes [[[name, nodeIndex, tensorIndex, kwargs], …]].
  const inputs = cfg.input_layers as [string, number, number][];
  if (inputs.length !== 1) throw new Error(`the converter handles one model input, this model has ${inputs.length}`);
  const inputLayer = list.find((l) => l.config.name === inputs[0][0] || l.name === inputs[0][0])!;
  const layers = list
    .filter((l) => l.class_name !== 'InputLayer')
    .map((layer) => {
      const nodes = layer.inbound_nodes ?? [];
      if (nodes.length !== 1) throw new Error(`layer ${layer.config.name} is applied ${nodes.length} times; shared layers are not supported`);
      const inbound = (nodes[0] as any[]).map((n) => (Array.isArray(n) ? n[0] : n.args?.[0]?.config?.keras_history?.[0]));
      return { layer, inbound };
    });
  return {
    layers,
    inputShape: inputLayer.config.batch_input_shape ?? inputLayer.config.batch_shape,
    inputName: inputLayer.config.name,
    outputs: (cfg.output_layers as [string, number, number][]).map((o) => o[0]),
  };
}

export interface ConvertedModel {
  onnx: Uint8Array;
  inputName: string;
  outputName: string;
  /** NHWC input shape without the batch dimension. */
  inputShape: number[];
  opTypes: string[];
}

export function convertLayersModel(json: LayersModelJson, weightData: ArrayBuffer, opts: ConvertOptions = {}): ConvertedModel {
  const weights = readWeights(json.weightsManifest, weightData);
  const { layers, inputShape, inputName, outputs } = layerGraph(json.modelTopology);
  if (outputs.length !== 1) throw new Error(`the converter handles one model output, this model has ${outputs.length}`);
  if (inputShape.length !== 4) throw new Error(`expected an image input [batch, h, w, c], got [${inputShape.join(', ')}]`);
  const g = new Graph();
  const graphInput = 'input';
  const values = new Map<string, Value>();
  values.set(inputName, { name: g.add('Transpose', [graphInput], [{ name: 'perm', ints: [0, 3, 1, 2] }], 'input_nchw'), rank: 4, layout: 'nchw' });

  for (const { layer, inbound } of layers) {
    const name = layer.config.name as string;
    const ins = inbound.map((n) => {
      const v = values.get(n);
      if (!v) throw new Error(`layer ${name} reads ${n}, which is not converted yet`);
      return v;
    });
    const prefix = `${name}/`;
    const find = (suffix: string) => [...weights.keys()].find((k) => k.startsWith(prefix) && k.slice(prefix.length).replace(/:0$/, '') === suffix);
    const ctx: LayerContext = {
      g,
      layer,
      cfg: layer.config,
      name,
      hasWeight: (s) => find(s) !== undefined,
      weight: (s) => {
        const k = find(s);
        if (!k) throw new Error(`layer ${name}: no weight ${prefix}${s} in the manifest`);
        return weights.get(k)!;
      },
    };
    values.set(name, convertLayer(ctx, ins));
  }

  let out = values.get(outputs[0])!;
  if (out.layout === 'nchw') out = toNhwcFlat(g, out);
  let outputName = 'logits';
  if (opts.outputIsProbabilities) {
    g.add('Identity', [out.name], [], 'probabilities');
    outputName = 'probabilities';
  } else if (opts.temperature !== undefined) {
    const scaled = g.add('Div', [out.name, g.constant('temperature', new Float32Array([opts.temperature]), [])]);
    g.add('Softmax', [scaled], [{ name: 'axis', i: 1 }], 'probabilities');
    outputName = 'probabilities';
  } else g.add('Identity', [out.name], [], 'logits');

  const [, h, w, c] = inputShape as number[];
  const onnx = serialize(g, graphInput, [h, w, c], outputName, opts.opset ?? 17);
  return { onnx, inputName: graphInput, outputName, inputShape: [h, w, c], opTypes: [...new Set(g.nodes.map((n) => n.op))] };
}

function valueInfo(w: Writer, name: string, dims: (number | string)[]): void {
  w.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }),
    ),
  );
}

function attribute(w: Writer, a: Attr): void {
  w.string(1, a.name);
  if ('f' in a) w.float(2, a.f).int(20, ATTR.FLOAT);
  else if ('i' in a) w.int(3, a.i).int(20, ATTR.INT);
  else if ('s' in a) w.string(4, a.s).int(20, ATTR.STRING);
  else if ('ints' in a) w.ints(8, a.ints).int(20, ATTR.INTS);
  else {
    for (const f of a.floats) w.float(7, f);
    w.int(20, ATTR.FLOATS);
  }
}

function serialize(g: Graph, input: string, hwc: number[], output: string, opset: number): Uint8Array {
  const w = new Writer();
  w.int(1, 8); // ir_version 8 (ONNX 1.10+)
  w.string(2, 'radlens bench/onnx/tfjs-to-onnx.ts');
  w.message(7, (graph) => {
    for (const n of g.nodes)
      graph.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, n.outputs[0]);
        node.string(4, n.op);
        for (const a of n.attrs) node.message(5, (attr) => attribute(attr, a));
      });
    graph.string(2, 'radlens');
    for (const t of g.initializers)
      graph.message(5, (tensor) => {
        tensor.ints(1, t.dims).int(2, t.type).string(8, t.name).bytes(9, t.raw);
      });
    graph.message(11, (v) => valueInfo(v, input, ['batch', ...hwc]));
    graph.message(12, (v) => valueInfo(v, output, ['batch', 'classes']));
  });
  w.message(8, (op) => op.string(1, '').int(2, opset));
  return w.finish();
}
