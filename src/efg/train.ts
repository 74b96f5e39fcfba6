/**
 * Training of the EFG model (model.ts) with TensorFlow.js: normalisation from the training set, a closed-form
 * ridge fit of the linear weights as the starting point, then Adam on all parameters (the invariant gate starts at
 * zero, so training starts from the ridge model) with early stopping on a validation set. Loss: mean over centres of
 * ‖V − V_ref‖²_F / (9 s_y²), plus optionally λ_inv × the loss on the rotation invariants (invariantLoss), plus
 * l2·(‖W1‖² + ‖W2‖²). Seeds are our own (mulberry32), so runs are reproducible.
 */
import { InputError } from '../core/errors';
import type { EfgDataset } from './dataset';
import type { EfgModelParams } from './model';
import { loadTf } from './backend';

/** Training options (all optional). */
export interface TrainOptions {
  /** Hidden units of the invariant gate (0: linear model, ridge only). Default 8. */
  hidden?: number;
  /** Maximum Adam epochs (full batch). Default 3000. */
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the gate weights W1, W2 (normalised units). Default 1e-3. */
  l2?: number;
  /** Ridge strength of the initial linear fit, relative to the mean diagonal of the normal matrix. Default 1e-6. */
  ridge?: number;
  /**
   * Weight λ_inv of the loss on the tensor invariants Tr V² and det V (see invariantLoss), which fix |V_zz|, η and
   * the sign of C_Q: > 0 weights the fit toward the NMR parameters. Default 0 (tensor components only).
   */
  invariantWeight?: number;
  /** Stop after this many epochs without a better validation loss. Default 300. */
  patience?: number;
  seed?: number;
  /** 'tensorflow' | 'wasm' | 'cpu'; default: the fastest available. */
  backend?: 'tensorflow' | 'wasm' | 'cpu';
  /** Called every `progressEvery` epochs. */
  onProgress?: (p: { done: number; total: number; label: string; trainLoss: number; valLoss?: number }) => void;
  progressEvery?: number;
}

/** One learning-curve point. */
export interface EpochRecord { epoch: number; trainLoss: number; valLoss?: number }

/** A trained model with its training history. */
export interface TrainResult {
  params: EfgModelParams;
  history: EpochRecord[];
  bestEpoch: number;
  backend: string;
  /** Validation loss of the ridge starting point and of the best epoch (normalised units). */
  ridgeValLoss?: number;
  bestValLoss?: number;
}

/** Off-diagonal components count twice in ‖V‖²_F. */
const COMPONENT_WEIGHTS = [1, 1, 1, 2, 2, 2];

/** Seeded uniform generator (mulberry32, src/core/random.ts). */
export { mulberry32 } from '../core/random';
import { mulberry32 } from '../core/random';

/** Normalisation constants of a training set: invariant mean/std, feature RMS, target RMS. */
export function normalisation(ds: EfgDataset): { invMean: Float64Array; invStd: Float64Array; tenScale: Float64Array; yScale: number } {
  const { n, nInv, nTen } = ds;
  const invMean = new Float64Array(nInv), invStd = new Float64Array(nInv), tenScale = new Float64Array(nTen);
  for (let k = 0; k < n; k++) for (let d = 0; d < nInv; d++) invMean[d] += ds.inv[k * nInv + d] / n;
  for (let k = 0; k < n; k++) for (let d = 0; d < nInv; d++) invStd[d] += (ds.inv[k * nInv + d] - invMean[d]) ** 2 / n;
  for (let d = 0; d < nInv; d++) invStd[d] = Math.sqrt(invStd[d]) || 1;
  for (let k = 0; k < n; k++)
    for (let f = 0; f < nTen; f++) {
      let s = 0;
      for (let c = 0; c < 6; c++) s += COMPONENT_WEIGHTS[c] * ds.ten[(k * nTen + f) * 6 + c] ** 2;
      tenScale[f] += s / n;
    }
  for (let f = 0; f < nTen; f++) tenScale[f] = Math.sqrt(tenScale[f]) || 1;
  let ys = 0;
  for (let i = 0; i < ds.y.length; i++) ys += ds.y[i] * ds.y[i];
  const yScale = Math.sqrt(ys / ds.y.length) || 1;
  return { invMean, invStd, tenScale, yScale };
}

/** Solves the symmetric positive definite system A x = b (Cholesky; A is m×m row-major, overwritten). */
export function solveSpd(A: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let j = 0; j < m; j++) {
    let s = A[j * m + j];
    for (let k = 0; k < j; k++) s -= A[j * m + k] ** 2;
    if (!(s > 0)) throw new InputError('ridge fit: the normal matrix is not positive definite (features are degenerate; increase ridge)');
    const l = Math.sqrt(s);
    A[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let t = A[i * m + j];
      for (let k = 0; k < j; k++) t -= A[i * m + k] * A[j * m + k];
      A[i * m + j] = t / l;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) { let t = x[i]; for (let k = 0; k < i; k++) t -= A[i * m + k] * x[k]; x[i] = t / A[i * m + i]; }
  for (let i = m - 1; i >= 0; i--) { let t = x[i]; for (let k = i + 1; k < m; k++) t -= A[k * m + i] * x[k]; x[i] = t / A[i * m + i]; }
  return x;
}

/** Closed-form ridge fit of the linear weights w (normalised units) for given normalisation. */
export function ridgeWeights(ds: EfgDataset, tenScale: Float64Array, yScale: number, ridge: number): Float64Array {
  const { n, nTen } = ds;
  const G = new Float64Array(nTen * nTen), b = new Float64Array(nTen);
  const row = new Float64Array(nTen);
  const ySym = [0, 4, 8, 1, 2, 5];
  for (let k = 0; k < n; k++)
    for (let c = 0; c < 6; c++) {
      const wc = COMPONENT_WEIGHTS[c];
      for (let f = 0; f < nTen; f++) row[f] = ds.ten[(k * nTen + f) * 6 + c] / tenScale[f];
      const y = ds.y[9 * k + ySym[c]] / yScale;
      for (let f = 0; f < nTen; f++) {
        const a = wc * row[f];
        b[f] += a * y;
        for (let g = 0; g <= f; g++) G[f * nTen + g] += a * row[g];
      }
    }
  let tr = 0;
  for (let f = 0; f < nTen; f++) { for (let g = 0; g < f; g++) G[g * nTen + f] = G[f * nTen + g]; tr += G[f * nTen + f]; }
  const lam = ridge * (tr / nTen);
  for (let f = 0; f < nTen; f++) G[f * nTen + f] += lam;
  return solveSpd(G, b, nTen);
}

type Tf = Awaited<ReturnType<typeof loadTf>>['tf'];
type Tensor = import('@tensorflow/tfjs').Tensor;

/** Normalised inputs of a dataset as tfjs tensors: x̂ [n, nInv], F̂ [n, nTen, 6], ŷ [n, 6]. */
function toTensors(tf: Tf, ds: EfgDataset, p: Pick<EfgModelParams, 'invMean' | 'invStd' | 'tenScale' | 'yScale'>, withTargets: boolean) {
  const { n, nInv, nTen } = ds;
  const x = new Float32Array(n * nInv), F = new Float32Array(n * nTen * 6), y = new Float32Array(n * 6);
  for (let k = 0; k < n; k++) {
    for (let d = 0; d < nInv; d++) x[k * nInv + d] = (ds.inv[k * nInv + d] - p.invMean[d]) / p.invStd[d];
    for (let f = 0; f < nTen; f++) for (let c = 0; c < 6; c++) F[(k * nTen + f) * 6 + c] = ds.ten[(k * nTen + f) * 6 + c] / p.tenScale[f];
    if (withTargets) [0, 4, 8, 1, 2, 5].forEach((src, c) => { y[6 * k + c] = ds.y[9 * k + src] / p.yScale; });
  }
  return { x: tf.tensor2d(x, [n, nInv]), F: tf.tensor3d(F, [n, nTen, 6]), y: withTargets ? tf.tensor2d(y, [n, 6]) : undefined };
}

/** The model graph: ŷ = Σ_f (w + tanh(x̂W1 + b1)W2)_f F̂_f  → [n, 6] (normalised units). */
function forward(tf: Tf, x: Tensor, F: Tensor, v: { w: Tensor; W1?: Tensor; b1?: Tensor; W2?: Tensor }): Tensor {
  let c = v.w.expandDims(0) as Tensor; // [1, nTen]
  if (v.W1 && v.b1 && v.W2) c = tf.add(c, tf.matMul(tf.tanh(tf.add(tf.matMul(x as never, v.W1 as never), v.b1)) as never, v.W2 as never));
  return tf.sum(tf.mul(c.expandDims(2), F), 1);
}

function weightedMse(tf: Tf, pred: Tensor, y: Tensor, cw: Tensor): Tensor {
  return tf.div(tf.sum(tf.mul(tf.square(tf.sub(pred, y)), cw)), pred.shape[0]! * 9);
}

/**
 * The two rotation invariants of symmetric traceless tensors given as [n, 6] (xx, yy, zz, xy, xz, yz):
 * I2 = Tr V² = V_zz²(3 + η²)/2 and I3 = det V = V_zz³(1 − η²)/4 (principal values V_xx = −V_zz(1 − η)/2, V_yy = −V_zz(1 + η)/2).
 * Together they fix |V_zz|, η and the sign of V_zz; I3 → 0 as η → 1, where the sign of C_Q is not defined.
 */
export function invariantsTf(tf: Tf, v: Tensor): { i2: Tensor; i3: Tensor } {
  const [xx, yy, zz, xy, xz, yz] = tf.unstack(v, 1);
  const i2 = tf.addN([tf.square(xx), tf.square(yy), tf.square(zz), tf.mul(2, tf.addN([tf.square(xy), tf.square(xz), tf.square(yz)]))]);
  const i3 = tf.addN([
    tf.mul(xx, tf.sub(tf.mul(yy, zz), tf.square(yz))),
    tf.neg(tf.mul(xy, tf.sub(tf.mul(xy, zz), tf.mul(yz, xz)))),
    tf.mul(xz, tf.sub(tf.mul(xy, yz), tf.mul(yy, xz))),
  ]);
  return { i2, i3 };
}

/** Tr V² and det V of 9-component tensors (row-major, n × 9) in their own units. */
export function tensorInvariants(t: ArrayLike<number>): { i2: Float64Array; i3: Float64Array } {
  const n = t.length / 9, i2 = new Float64Array(n), i3 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const o = 9 * k, a = t[o], b = t[o + 1], c = t[o + 2], d = t[o + 3], e = t[o + 4], f = t[o + 5], g = t[o + 6], h = t[o + 7], i = t[o + 8];
    i2[k] = a * a + e * e + i * i + b * d + c * g + f * h + d * b + g * c + h * f;
    i3[k] = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  }
  return { i2, i3 };
}

/**
 * Invariant loss (normalised units): mean over centres of (I2 − I2_ref)²/⟨I2_ref²⟩ + (I3 − I3_ref)²/⟨I3_ref²⟩,
 * with the scales ⟨·⟩ taken from the training set, so each term is a relative error of order one.
 */
function invariantMse(tf: Tf, pred: Tensor, ref: { i2: Tensor; i3: Tensor }, s2: number, s3: number): Tensor {
  const p = invariantsTf(tf, pred);
  return tf.add(tf.div(tf.mean(tf.square(tf.sub(p.i2, ref.i2))), s2), tf.div(tf.mean(tf.square(tf.sub(p.i3, ref.i3))), s3));
}

/**
 * The invariant loss of predictions against references (both n × 9, any common unit; scales ⟨I2²⟩, ⟨I3²⟩ from
 * `scaleFrom` when given, else from the references). 0 when every tensor has the reference's |V_zz|, η and sign.
 */
export function invariantLoss(pred: ArrayLike<number>, ref: ArrayLike<number>, scaleFrom: ArrayLike<number> = ref): number {
  const p = tensorInvariants(pred), r = tensorInvariants(ref), s = tensorInvariants(scaleFrom);
  const ms = (x: Float64Array) => x.reduce((a, v) => a + v * v, 0) / x.length || 1;
  const s2 = ms(s.i2), s3 = ms(s.i3);
  let l = 0;
  for (let k = 0; k < p.i2.length; k++) l += (p.i2[k] - r.i2[k]) ** 2 / s2 + (p.i3[k] - r.i3[k]) ** 2 / s3;
  return l / p.i2.length;
}

/** Predicts with the tfjs graph (float32) in V/Å² (9 per centre); used to verify the pure-JS inference. */
export async function predictWithTf(params: EfgModelParams, ds: EfgDataset, backend?: 'tensorflow' | 'wasm' | 'cpu'): Promise<Float64Array> {
  const { tf } = await loadTf(backend);
  const { nInv, nTen } = ds, H = params.hidden;
  const out6 = tf.tidy(() => {
    const t = toTensors(tf, ds, params, false);
    const v = {
      w: tf.tensor1d(Float32Array.from(params.w)),
      W1: H ? tf.tensor2d(Float32Array.from(params.W1), [nInv, H]) : undefined,
      b1: H ? tf.tensor1d(Float32Array.from(params.b1)) : undefined,
      W2: H ? tf.tensor2d(Float32Array.from(params.W2), [H, nTen]) : undefined,
    };
    return forward(tf, t.x, t.F, v);
  });
  const d = await out6.data();
  out6.dispose();
  const out = new Float64Array(9 * ds.n);
  for (let k = 0; k < ds.n; k++) {
    const s = params.yScale, o = 6 * k, q = 9 * k;
    out[q] = s * d[o]; out[q + 4] = s * d[o + 1]; out[q + 8] = s * d[o + 2];
    out[q + 1] = out[q + 3] = s * d[o + 3]; out[q + 2] = out[q + 6] = s * d[o + 4]; out[q + 5] = out[q + 7] = s * d[o + 5];
  }
  return out;
}

/** Trains a model on `train`, early-stopping on `val` when given (else on the training loss). */
export async function trainEfgModel(train: EfgDataset, val: EfgDataset | undefined, opts: TrainOptions = {}): Promise<TrainResult> {
  if (train.n === 0) throw new InputError('EFG training set is empty');
  const H = opts.hidden ?? 8, epochs = opts.epochs ?? 3000, lr = opts.learningRate ?? 0.01, l2 = opts.l2 ?? 1e-3;
  const patience = opts.patience ?? 300, ridge = opts.ridge ?? 1e-6, seed = opts.seed ?? 1, lInv = opts.invariantWeight ?? 0;
  for (const [k, v] of Object.entries({ hidden: H, epochs, learningRate: lr, l2, patience, ridge, invariantWeight: lInv }))
    if (!(Number.isFinite(v) && v >= 0)) throw new InputError(`training option ${k} must be a finite number ≥ 0, got ${v}`);
  if (!Number.isInteger(H) || !Number.isInteger(epochs)) throw new InputError('training options hidden and epochs must be integers');
  const { nInv, nTen } = train;
  const norm = normalisation(train);
  const w0 = ridgeWeights(train, norm.tenScale, norm.yScale, ridge);
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const W1init = Float64Array.from({ length: nInv * H }, () => gauss() / Math.sqrt(nInv));
  const params: EfgModelParams = {
    settings: train.settings, hidden: H, ...norm, w: w0, W1: W1init, b1: new Float64Array(H), W2: new Float64Array(H * nTen),
  };
  const { tf, backend } = await loadTf(opts.backend);
  const history: EpochRecord[] = [];
  if (H === 0 || epochs === 0) {
    const res: TrainResult = { params, history, bestEpoch: 0, backend };
    if (val && val.n) res.ridgeValLoss = res.bestValLoss = await lossOf(tf, params, val);
    return res;
  }
  const tr = toTensors(tf, train, params, true);
  const va = val && val.n ? toTensors(tf, val, params, true) : undefined;
  const cw = tf.tensor1d(COMPONENT_WEIGHTS);
  // invariant targets (normalised units) and their training-set scales
  const invRef = (y?: Tensor) => (lInv > 0 && y ? tf.tidy(() => invariantsTf(tf, y)) : undefined);
  const trInv = invRef(tr.y), vaInv = invRef(va?.y);
  const meanSq = (t: Tensor) => tf.tidy(() => tf.mean(tf.square(t)).dataSync()[0]) || 1;
  const s2 = trInv ? meanSq(trInv.i2) : 1, s3 = trInv ? meanSq(trInv.i3) : 1;
  const dataLoss = (pred: Tensor, y: Tensor, inv?: { i2: Tensor; i3: Tensor }) =>
    (inv ? tf.add(weightedMse(tf, pred, y, cw), tf.mul(lInv, invariantMse(tf, pred, inv, s2, s3))) : weightedMse(tf, pred, y, cw));
  const v = {
    w: tf.variable(tf.tensor1d(Float32Array.from(w0))),
    W1: tf.variable(tf.tensor2d(Float32Array.from(W1init), [nInv, H])),
    b1: tf.variable(tf.zeros([H])),
    W2: tf.variable(tf.zeros([H, nTen])),
  };
  const optimizer = tf.train.adam(lr);
  const snapshot = () => ({ w: Float64Array.from(v.w.dataSync()), W1: Float64Array.from(v.W1.dataSync()), b1: Float64Array.from(v.b1.dataSync()), W2: Float64Array.from(v.W2.dataSync()) });
  const evalLoss = (d: { x: Tensor; F: Tensor; y?: Tensor }, inv?: { i2: Tensor; i3: Tensor }) => tf.tidy(() => dataLoss(forward(tf, d.x, d.F, v), d.y!, inv).dataSync()[0]);
  let best = snapshot(), bestEpoch = 0;
  const ridgeValLoss = va ? evalLoss(va, vaInv) : undefined;
  let bestLoss = va ? ridgeValLoss! : evalLoss(tr, trInv);
  const every = opts.progressEvery ?? 100;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const lossT = optimizer.minimize(() => tf.add(dataLoss(forward(tf, tr.x, tr.F, v), tr.y!, trInv),
        tf.mul(l2, tf.add(tf.sum(tf.square(v.W1)), tf.sum(tf.square(v.W2))))) as never, true) as Tensor;
      const trainLoss = lossT.dataSync()[0];
      lossT.dispose();
      if (!Number.isFinite(trainLoss)) throw new InputError(`EFG training diverged at epoch ${epoch} (loss ${trainLoss}); lower the learning rate`);
      const valLoss = va ? evalLoss(va, vaInv) : undefined;
      history.push({ epoch, trainLoss, valLoss });
      const monitored = valLoss ?? trainLoss;
      if (monitored < bestLoss) { bestLoss = monitored; bestEpoch = epoch; best = snapshot(); }
      if (opts.onProgress && (epoch % every === 0 || epoch === epochs)) opts.onProgress({ done: epoch, total: epochs, label: 'EFG training', trainLoss, valLoss });
      if (epoch - bestEpoch > patience) break;
    }
  } finally {
    for (const t of [tr.x, tr.F, tr.y, va?.x, va?.F, va?.y, cw, v.w, v.W1, v.b1, v.W2, trInv?.i2, trInv?.i3, vaInv?.i2, vaInv?.i3]) t?.dispose();
    optimizer.dispose();
  }
  Object.assign(params, best);
  return { params, history, bestEpoch, backend, ridgeValLoss, bestValLoss: va ? bestLoss : undefined };
}

async function lossOf(tf: Tf, p: EfgModelParams, ds: EfgDataset): Promise<number> {
  const pred = await predictWithTf(p, ds);
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - ds.y[i]) ** 2;
  void tf;
  return s / (ds.n * 9 * p.yScale * p.yScale);
}
