/**
 * Crystallographic symmetry operations written as "x+1/2, -y, z" (CIF, magres): parsing to a rotation
 * (3×3, acting on fractional coordinates) plus a translation, and applying them.
 */
import { ParseError } from '../core/errors';

/** f' = R·f + t on fractional coordinates; R row-major. */
export interface SymOp {
  rotation: Float64Array;
  translation: Float64Array;
}

/** Parses one operation such as "x+1/2, -y, z" or "-x+y,1/2+z,0.25-y"; ParseError when malformed. */
export function parseSymOp(text: string, where: { file: string; line?: number }): SymOp {
  const parts = text.replace(/\s+/g, '').split(',');
  const fail = (): never => { throw new ParseError(where, 'a symmetry operation like "x+1/2, -y, z"', text); };
  if (parts.length !== 3) fail();
  const rotation = new Float64Array(9), translation = new Float64Array(3);
  parts.forEach((p, row) => {
    if (p === '') fail();
    let i = 0;
    while (i < p.length) {
      let sign = 1;
      if (p[i] === '+' || p[i] === '-') { sign = p[i] === '-' ? -1 : 1; i++; }
      const m = /^(\d+(?:\.\d*)?|\.\d+)(?:\/(\d+))?/.exec(p.slice(i));
      let num: number | undefined;
      if (m) {
        num = Number(m[1]) / (m[2] !== undefined ? Number(m[2]) : 1);
        if (!Number.isFinite(num)) fail();
        i += m[0].length;
        if (p[i] === '*') i++;
      }
      const v = 'xyz'.indexOf((p[i] ?? '').toLowerCase());
      if (v >= 0 && p[i] !== undefined) {
        i++;
        let coeff = num ?? 1;
        const d = /^([/*])(\d+(?:\.\d*)?)/.exec(p.slice(i));
        if (d) { coeff = d[1] === '/' ? coeff / Number(d[2]) : coeff * Number(d[2]); i += d[0].length; if (!Number.isFinite(coeff)) fail(); }
        rotation[3 * row + v] += sign * coeff;
      } else if (num !== undefined) translation[row] += sign * num;
      else fail();
    }
  });
  return { rotation, translation };
}

/** Applies an operation to one fractional coordinate triple, writing into out. */
export function applySymOp(op: SymOp, f: ArrayLike<number>, out: Float64Array): Float64Array {
  const r = op.rotation, t = op.translation;
  const x = f[0], y = f[1], z = f[2];
  out[0] = r[0] * x + r[1] * y + r[2] * z + t[0];
  out[1] = r[3] * x + r[4] * y + r[5] * z + t[1];
  out[2] = r[6] * x + r[7] * y + r[8] * z + t[2];
  return out;
}

/** Fraction wrapped into [0, 1). */
export function wrapFraction(x: number): number {
  const v = x - Math.floor(x);
  return v >= 1 ? 0 : v;
}
