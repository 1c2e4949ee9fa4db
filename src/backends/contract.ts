// The narrow kernel interface every backend implements (wasm by default, cpu, gpujs optionally).
// Ops in src/engine never know which backend runs: they call `getBackend()` (backend.ts) and pass
// flat Float32Arrays plus shapes. All arrays are row-major and contiguous.
//
// Seven methods are required. Six fused ones are optional: a backend offers them where one call
// beats the composition, and completeBackend (complete.ts) fills in the others with their default
// compositions of the required seven (composed/), once, when the backend is set. Ops therefore
// call every method unconditionally.

/**
 * Elementwise functions of one input. `alpha` is the slope for leakyRelu, the exponent for pow.
 * Each is defined once, with its derivative, in src/engine/ops/elementwise.ts (UNARY_OPS);
 * a backend supplies the forward kernel only.
 */
export type UnaryOp =
  | 'neg' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'exp' | 'log' | 'softplus'
  | 'square' | 'sqrt' | 'pow' | 'abs' | 'sin' | 'cos' | 'gelu' | 'geluTanh';

/** Elementwise functions of two inputs, with NumPy broadcasting. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * Matmul layouts: 'nn' C = A·B, 'tn' C = Aᵀ·B, 'nt' C = A·Bᵀ.
 * m, k, n always describe the product C[m,n] = op(A)[m,k] · op(B)[k,n]:
 *   'nn': A is [m,k], B is [k,n];  'tn': A is [k,m], B is [k,n];  'nt': A is [m,k], B is [n,k].
 */
export type MatmulLayout = 'nn' | 'tn' | 'nt';

/** 1-D convolution sizes: x [N, Cin, L] → y [N, Cout, Lout], kernel K, stride, zero padding. */
export interface ConvGeometry {
  N: number; Cin: number; Cout: number; K: number; stride: number; padding: number; L: number; Lout: number;
  /**
   * Nearest upsampling fused in front (default 1): x holds L/up samples per row and the conv runs
   * on x̃[.., j] = x[.., ⌊j/up⌋] (length L); dx then has L/up samples too (Upsample1d → Conv1d).
   */
  up?: number;
}

export interface AdamHyper {
  lr: number; beta1: number; beta2: number; eps: number; weightDecay: number;
  /** 1-based step count, for bias correction. */
  step: number;
}

export interface Backend {
  readonly name: string;

  /** out[m,n] = op(A)·op(B), or out += op(A)·op(B) when accumulate is true. */
  matmul(a: Float32Array, b: Float32Array, out: Float32Array,
         m: number, k: number, n: number, layout: MatmulLayout, accumulate: boolean): void;

  /** out[i] = f(x[i]) (out may be x). The backward is the engine's: UNARY_OPS in engine/ops/elementwise.ts. */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array, alpha: number): void;

  /** out = a (op) b with broadcasting; outShape is the broadcast shape. */
  binary(op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
         bShape: readonly number[], out: Float32Array, outShape: readonly number[]): void;

  /** out += x summed down to outShape (outShape broadcasts to xShape; used for broadcast grads and sum). */
  sumToShape(x: Float32Array, xShape: readonly number[], out: Float32Array,
             outShape: readonly number[]): void;

  /** mean((pred - target)²) over all elements. */
  mseLoss(pred: Float32Array, target: Float32Array): number;

  /** gPred += scale · 2(pred - target)/n, with n = pred.length. */
  mseLossBackward(pred: Float32Array, target: Float32Array, scale: number,
                  gPred: Float32Array): void;

  /** One Adam update in place, as torch.optim.Adam (weightDecay adds an L2 term to the gradient, not AdamW). */
  adamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array,
             hyper: AdamHyper): void;

  /**
   * Optional fused linear layer forward: y[rows,outF] = x[rows,inF]·w[outF,inF]ᵀ + bias, then ReLU
   * (x > 0 ? x : 0) when relu. Default: matmul, binary add, unary relu (composed/linear.ts).
   */
  linearForward?(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
                 rows: number, inF: number, outF: number, relu: boolean): void;

  /**
   * Optional fused linear backward: g = dy (masked by reluOut > 0 when reluOut is given, the
   * layer's ReLU output); dx += g·w, dw += gᵀ·x, db += Σ_rows g (any of the three may be null).
   * Default: the mask, two matmuls and sumToShape (composed/linear.ts).
   */
  linearBackward?(x: Float32Array, w: Float32Array, reluOut: Float32Array | null, gy: Float32Array,
                  dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null,
                  rows: number, inF: number, outF: number): void;

  /**
   * Optional conv1d over the whole batch: y [N,Cout,Lout] = conv1d(x [N,Cin,L], w [Cout,Cin,K]) + bias,
   * then ReLU (y > 0 ? y : 0) when relu. Default: im2row and one matmul (composed/conv-rows.ts).
   */
  conv1dForward?(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, g: ConvGeometry,
                 relu: boolean): void;

  /**
   * Optional conv1d backward: adds into dx [N,Cin,L], dw [Cout,Cin,K] and db [Cout] (any may be
   * null); with reluOut (the fused ReLU's output y), dy is first masked to where y > 0.
   */
  conv1dBackward?(x: Float32Array, w: Float32Array, gy: Float32Array, dx: Float32Array | null,
                  dw: Float32Array | null, db: Float32Array | null, g: ConvGeometry,
                  reluOut: Float32Array | null): void;

  /**
   * Optional Conv1d → ReLU → MaxPool1d(2) forward (the Conv1D encoder's stages): with Lout the
   * conv's output length (g) and P = ⌊Lout/2⌋, y [N,Cout,P] = max over each pair of
   * relu(conv1d(x) + bias), sel [N,Cout,P] = 1 where the pair's second value was taken (greater, or
   * NaN), 0 for the first (also on ties). Default: conv1dForward with the ReLU into a full-length
   * buffer, then the pair max (composed/conv-pool.ts).
   */
  conv1dReluPoolForward?(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
                         sel: Int32Array, g: ConvGeometry): void;

  /**
   * Optional backward of conv1dReluPoolForward: gy [N,Cout,P] goes to each pair's chosen input
   * where y (the pooled output) > 0, zero elsewhere; then as conv1dBackward into dx, dw, db.
   */
  conv1dReluPoolBackward?(x: Float32Array, w: Float32Array, gy: Float32Array, y: Float32Array, sel: Int32Array,
                          dx: Float32Array | null, dw: Float32Array | null, db: Float32Array | null, g: ConvGeometry): void;

  /**
   * Optional fused LSTM recurrence. Time-major: gates [T,B,4H] enters as x·Wihᵀ + biases and leaves
   * activated (i,f,g,o); writes cs, tanhC, hs [T,B,H]. wHh [4H,H]. Default: a matmul per step and
   * the gate math in TS (composed/lstm.ts).
   */
  lstmForward?(gates: Float32Array, wHh: Float32Array, cs: Float32Array, tanhC: Float32Array,
               hs: Float32Array, T: number, B: number, H: number): void;

  /** Optional fused BPTT: gy [T,B,H] (time-major, as hs) → da [T,B,4H] (overwritten), the pre-activation gate gradients. */
  lstmBackward?(gy: Float32Array, gates: Float32Array, cs: Float32Array, tanhC: Float32Array,
                wHh: Float32Array, da: Float32Array, T: number, B: number, H: number): void;
}

/** The optional fused methods, each with a default composition in composed/. */
export const FUSED_METHODS = ['linearForward', 'linearBackward', 'conv1dForward', 'conv1dBackward',
  'conv1dReluPoolForward', 'conv1dReluPoolBackward',
  'lstmForward', 'lstmBackward'] as const;

/** A backend with every method present: what getBackend() hands the ops. */
export type CompleteBackend = Backend & Required<Pick<Backend, typeof FUSED_METHODS[number]>>;
