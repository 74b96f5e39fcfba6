/**
 * uf3 JSON models (the format of uf3's WeightedLinearModel.to_json, e.g. W_model_2and3.uf3.json):
 *   element_list: ["Li", "P", "S"], degree: 2 | 3,
 *   coefficients: { "Li": e_1body (eV), "Li-P": [c_n …], "Li-P-S": [[[c_lmn …] …] …] (L×M×N) },
 *   knots: { "Li-P": [t …], "Li-P-S": [[ij knots], [ik knots], [jk knots]] },
 *   knots_map (same as knots), leading_trim / trailing_trim per degree, offset_1b, knot_strategy.
 * The 1-body energies are kept (the energy of a JSON model includes them). ufnmr adds an optional
 * "ufnmr" object with provenance (ignored by uf3).
 */
import { ParseError } from '../core/errors';
import type { ThreeBodyTerm, TwoBodyTerm, UF3Model } from './model';
import { allPairs, allTriples, pairKey, tripleKey, validateModel, validateParsedModel } from './model';
import { isUniform } from './bspline';
import { mirrorThreeBody } from './formatLammps';

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numArray(v: Json, file: string, where: string): number[] {
  if (!Array.isArray(v)) throw new ParseError({ file, array: where }, 'an array of numbers', typeof v);
  return v.map((x, q) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ParseError({ file, array: `${where}[${q}]` }, 'a finite number', JSON.stringify(x));
    return x;
  });
}

/** Parses uf3 JSON text into a validated model. */
export function parseUf3Json(text: string, file = '<uf3 json>'): UF3Model {
  let obj: Json;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new ParseError({ file }, 'valid JSON', (e as Error).message);
  }
  if (!isObj(obj)) throw new ParseError({ file }, 'a JSON object (uf3 model)');
  const elements = obj.element_list;
  if (!Array.isArray(elements) || elements.length === 0 || !elements.every((e) => typeof e === 'string'))
    throw new ParseError({ file, array: 'element_list' }, 'a non-empty list of element symbols');
  const els = elements as string[];
  const coeffs = obj.coefficients;
  if (!isObj(coeffs)) throw new ParseError({ file, array: 'coefficients' }, 'an object of coefficients');
  const knots = isObj(obj.knots) ? obj.knots : obj.knots_map;
  if (!isObj(knots)) throw new ParseError({ file, array: 'knots' }, 'an object of knot vectors (knots or knots_map)');
  const degree = obj.degree ?? 3;
  if (degree !== 2 && degree !== 3) throw new ParseError({ file, array: 'degree' }, '2 or 3', JSON.stringify(degree));
  const oneBody: Record<string, number> = {};
  const twoBody: TwoBodyTerm[] = [];
  const threeBody: ThreeBodyTerm[] = [];
  for (const [key, value] of Object.entries(coeffs)) {
    const parts = key.split('-');
    const bad = parts.find((p) => !els.includes(p));
    if (bad !== undefined) throw new ParseError({ file, array: `coefficients["${key}"]` }, `elements from element_list ${JSON.stringify(els)}`, bad);
    const where = `coefficients["${key}"]`;
    if (parts.length === 1) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParseError({ file, array: where }, 'a 1-body energy (number, eV)', JSON.stringify(value));
      oneBody[key] = value;
    } else if (parts.length === 2) {
      const k = numArray(knots[key], file, `knots["${key}"]`);
      const c = numArray(value, file, where);
      if (k.length !== c.length + 4) throw new ParseError({ file, array: where }, `${k.length - 4} coefficients for ${k.length} knots`, `${c.length}`);
      twoBody.push({ elements: [parts[0], parts[1]], knots: k, coefficients: c, cutoff: k[k.length - 1] });
    } else if (parts.length === 3) {
      if (degree === 2) throw new ParseError({ file, array: where }, 'no 3-body coefficients in a degree-2 model');
      const kv = knots[key];
      if (!Array.isArray(kv) || kv.length !== 3) throw new ParseError({ file, array: `knots["${key}"]` }, 'three knot vectors [ij, ik, jk]');
      const [kij, kik, kjk] = kv.map((x, q) => numArray(x, file, `knots["${key}"][${q}]`));
      const [L, M, N] = [kij.length - 4, kik.length - 4, kjk.length - 4];
      const flat = flatten3(value, [L, M, N], file, where);
      threeBody.push({
        elements: [parts[0], parts[1], parts[2]],
        knots: { ij: kij, ik: kik, jk: kjk },
        shape: [L, M, N],
        coefficients: flat,
        cutoffs: { ij: kij[kij.length - 1], ik: kik[kik.length - 1], jk: kjk[kjk.length - 1] },
      });
    } else {
      throw new ParseError({ file, array: where }, 'a key naming 1, 2 or 3 elements (e.g. "W", "W-W", "W-W-W")', key);
    }
  }
  const extra = isObj(obj.ufnmr) ? obj.ufnmr : {};
  const model: UF3Model = { elements: els, oneBody, twoBody, threeBody, meta: { ...extra, source: file, format: 'uf3-json' } };
  validateParsedModel(model, file);
  return model;
}

function flatten3(v: Json, [L, M, N]: [number, number, number], file: string, where: string): number[] {
  if (Array.isArray(v) && v.length === L * M * N && v.every((x) => typeof x === 'number')) return numArray(v, file, where);
  if (!Array.isArray(v) || v.length !== L) throw new ParseError({ file, array: where }, `an array of shape ${L}×${M}×${N} (from the knot counts)`, Array.isArray(v) ? `${v.length} rows` : typeof v);
  const out: number[] = [];
  v.forEach((plane, l) => {
    if (!Array.isArray(plane) || plane.length !== M) throw new ParseError({ file, array: `${where}[${l}]` }, `${M} rows`, Array.isArray(plane) ? String(plane.length) : typeof plane);
    plane.forEach((row, m) => {
      const r = numArray(row, file, `${where}[${l}][${m}]`);
      if (r.length !== N) throw new ParseError({ file, array: `${where}[${l}][${m}]` }, `${N} numbers`, String(r.length));
      out.push(...r);
    });
  });
  return out;
}

/** Formats a model as uf3 JSON (with 1-body energies; provenance under "ufnmr"). */
export function formatUf3Json(model: UF3Model): string {
  validateModel(model);
  const els = model.elements;
  const coefficients: Record<string, unknown> = {};
  const knots: Record<string, unknown> = {};
  for (const e of els) coefficients[e] = model.oneBody[e] ?? 0;
  for (const [a, b] of allPairs(els)) {
    const t = model.twoBody.find((q) => pairKey(els, q.elements[0], q.elements[1]) === `${a}-${b}`)!;
    coefficients[`${a}-${b}`] = [...t.coefficients];
    knots[`${a}-${b}`] = [...t.knots];
  }
  if (model.threeBody.length > 0)
    for (const [x, a, b] of allTriples(els)) {
      const src = model.threeBody.find((q) => tripleKey(els, q.elements[0], q.elements[1], q.elements[2]) === `${x}-${a}-${b}`)!;
      const t = src.elements[1] === a ? src : mirrorThreeBody(src);
      const [L, M, N] = t.shape;
      const nested = Array.from({ length: L }, (_, l) => Array.from({ length: M }, (_, m) => t.coefficients.slice((l * M + m) * N, (l * M + m + 1) * N)));
      coefficients[`${x}-${a}-${b}`] = nested;
      knots[`${x}-${a}-${b}`] = [[...t.knots.ij], [...t.knots.ik], [...t.knots.jk]];
    }
  const uniform = [...model.twoBody.map((t) => t.knots), ...model.threeBody.flatMap((t) => [t.knots.ij, t.knots.ik, t.knots.jk])].every((k) => isUniform(k, 1e-12));
  const out = {
    coefficients,
    knots,
    knot_strategy: uniform ? 'linear' : 'custom',
    offset_1b: true,
    leading_trim: { 2: 0, 3: 3 },
    trailing_trim: { 2: 3, 3: 3 },
    knots_map: knots,
    element_list: els,
    degree: model.threeBody.length > 0 ? 3 : 2,
    ufnmr: { ...(model.meta ?? {}) },
  };
  return JSON.stringify(out, null, 1) + '\n';
}
