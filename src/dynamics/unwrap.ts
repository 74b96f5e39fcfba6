/**
 * Unwrapping of wrapped trajectories: continuous positions by accumulating minimum-image displacements
 * between consecutive frames (in fractional coordinates, so a changing cell is followed).
 */
import { InputError } from '../core/errors';
import { inv3, type Mat3, type Pbc } from '../core/cell';

/** Options of {@link Unwrapper}. */
export interface UnwrapOptions {
  /**
   * Largest fractional displacement along a periodic direction accepted between two frames (default 0.45).
   * Beyond half a cell the minimum image is a different image, which no unwrapping can detect; a step
   * near that limit means the frames are too far apart to unwrap (store unwrapped coordinates instead).
   */
  maxStepFraction?: number;
}

/**
 * Streaming unwrapper: feed frames in order; each call returns continuous Cartesian positions (Å):
 * u(t) = u(t−1) + wrap(f(t) − f(t−1)), r(t) = u(t)·H(t), with f the fractional coordinates. Input
 * positions may be wrapped or not (already unwrapped input passes through unchanged).
 */
export class Unwrapper {
  private readonly prev: Float64Array;
  private readonly u: Float64Array;
  private frames = 0;
  private readonly maxStep: number;

  /** nAtoms: atoms per frame. */
  constructor(readonly nAtoms: number, opts: UnwrapOptions = {}) {
    if (!Number.isInteger(nAtoms) || nAtoms < 0) throw new InputError(`unwrap: atom count must be a non-negative integer, got ${nAtoms}`);
    this.maxStep = opts.maxStepFraction ?? 0.45;
    if (!(this.maxStep > 0 && this.maxStep < 0.5)) throw new InputError(`unwrap: maxStepFraction must lie in (0, 0.5), got ${this.maxStep}`);
    this.prev = new Float64Array(3 * nAtoms);
    this.u = new Float64Array(3 * nAtoms);
  }

  /** Frames seen so far. */
  get framesSeen(): number {
    return this.frames;
  }

  /** Unwrapped positions (Å, 3·nAtoms) of the next frame, written to `out` (allocated when absent). */
  push(positions: ArrayLike<number>, cell: Mat3, pbc: Pbc, out: Float64Array = new Float64Array(3 * this.nAtoms)): Float64Array {
    const n = this.nAtoms;
    if (positions.length !== 3 * n) throw new InputError(`unwrap: frame ${this.frames} has ${positions.length} coordinates, expected ${3 * n} (${n} atoms)`);
    const hi = inv3(cell);
    const { prev, u } = this;
    for (let i = 0; i < n; i++) {
      const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
      if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) throw new InputError(`unwrap: atom ${i} has a non-finite coordinate in frame ${this.frames}`);
      for (let k = 0; k < 3; k++) {
        const f = x * hi[k] + y * hi[3 + k] + z * hi[6 + k];
        if (this.frames === 0) u[3 * i + k] = f;
        else {
          let d = f - prev[3 * i + k];
          if (pbc[k]) {
            d -= Math.round(d);
            if (Math.abs(d) > this.maxStep)
              throw new InputError(`unwrap: atom ${i} moved ${Math.abs(d).toFixed(3)} of the cell along ${'abc'[k]} between frames ${this.frames - 1} and ${this.frames} (limit ${this.maxStep}): frames are too far apart to unwrap by minimum image; use unwrapped coordinates (e.g. LAMMPS xu yu zu or image flags) or denser frames`);
          }
          u[3 * i + k] += d;
        }
        prev[3 * i + k] = f;
      }
      const a = u[3 * i], b = u[3 * i + 1], c = u[3 * i + 2];
      out[3 * i] = a * cell[0] + b * cell[3] + c * cell[6];
      out[3 * i + 1] = a * cell[1] + b * cell[4] + c * cell[7];
      out[3 * i + 2] = a * cell[2] + b * cell[5] + c * cell[8];
    }
    this.frames++;
    return out;
  }
}
