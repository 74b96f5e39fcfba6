/**
 * A quick look at a structure: an orthographic SVG projection of the cell and its atoms (painter's
 * order, far atoms first), coloured by element (Jmol colours), sized by covalent radius (Cordero et
 * al., Dalton Trans. 2008, 2832). Works offline, in notebooks and in static viewers.
 */
import { InputError } from '../../core/errors';
import { cellParameters, wrapPositions } from '../../core/cell';
import type { Structure } from '../../core/structure';
import { FONT_FAMILY } from '../theme';
import { MimeBundle, publish } from './jupyter';

const STYLE: Record<string, [color: string, covalentRadiusA: number]> = {
  H: ['#FFFFFF', 0.31], Li: ['#CC80FF', 1.28], B: ['#FFB5B5', 0.84], C: ['#909090', 0.76], N: ['#3050F8', 0.71],
  O: ['#FF0D0D', 0.66], F: ['#90E050', 0.57], Na: ['#AB5CF2', 1.66], Mg: ['#8AFF00', 1.41], Al: ['#BFA6A6', 1.21],
  Si: ['#F0C8A0', 1.11], P: ['#FF8000', 1.07], S: ['#FFFF30', 1.05], Cl: ['#1FF01F', 1.02], K: ['#8F40D4', 2.03],
  Ca: ['#3DFF00', 1.76], Ti: ['#BFC2C7', 1.6], Ga: ['#C28F8F', 1.22], Ge: ['#668F8F', 1.2], Se: ['#FFA100', 1.2],
  Br: ['#A62929', 1.2], Zr: ['#94E0E0', 1.75], Nb: ['#73C2C9', 1.64], In: ['#A67573', 1.42], Sn: ['#668080', 1.39],
  I: ['#940094', 1.39], La: ['#70D4FF', 2.07], W: ['#2194D6', 1.62],
};

/** Colour (hex) and covalent radius (Å) used for an element (grey, 1.2 Å when not tabulated). */
export function elementStyle(symbol: string): { color: string; radiusA: number } {
  const s = STYLE[symbol];
  return s ? { color: s[0], radiusA: s[1] } : { color: '#B0B0B0', radiusA: 1.2 };
}

/** Options of {@link structureSvg}. */
export interface StructureViewOptions {
  /** View direction: along a lattice vector ('a', 'b', 'c'), a Cartesian axis, or a vector; default oblique. */
  view?: 'a' | 'b' | 'c' | 'x' | 'y' | 'z' | [number, number, number];
  /** Image size in px (the longer side), default 360. */
  size?: number;
  /** Drawn radius = covalent radius × radiusScale (default 0.45). */
  radiusScale?: number;
  /** Wrap atoms into the cell along periodic directions (default true). */
  wrap?: boolean;
  title?: string;
}

/** Chemical formula in order of first appearance, e.g. "Li12P4S16". */
export function formula(species: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const s of species) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => (n === 1 ? s : `${s}${n}`)).join('');
}

const norm = (v: number[]) => { const n = Math.hypot(v[0], v[1], v[2]); return v.map((x) => x / n); };
const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** SVG of the structure projected along the view direction, with cell edges and an element legend. */
export function structureSvg(s: Structure, opts: StructureViewOptions = {}): string {
  const n = s.species.length;
  if (s.positions.length !== 3 * n) throw new InputError(`structure view: ${s.positions.length} coordinates for ${n} atoms`);
  const hasCell = s.cell.some((x) => x !== 0);
  const row = (i: number) => [s.cell[3 * i], s.cell[3 * i + 1], s.cell[3 * i + 2]];
  let dir: number[];
  const v = opts.view;
  if (Array.isArray(v)) dir = [...v];
  else if (v === 'a' || v === 'b' || v === 'c') {
    if (!hasCell) throw new InputError(`structure view along ${v}: the structure has no cell`);
    dir = row('abc'.indexOf(v));
  } else if (v === 'x' || v === 'y' || v === 'z') dir = [v === 'x' ? 1 : 0, v === 'y' ? 1 : 0, v === 'z' ? 1 : 0];
  else dir = [0.35, 0.25, 1];
  if (!(Math.hypot(dir[0], dir[1], dir[2]) > 0)) throw new InputError('structure view: zero view direction');
  const w = norm(dir);
  // Screen "up" follows b (or y) as far as possible.
  let up = hasCell ? row(1) : [0, 1, 0];
  if (Math.hypot(...cross(up, w)) < 1e-6) up = Math.abs(w[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const ex = norm(cross(up, w));
  const ey = cross(w, ex);
  const pos = hasCell && (opts.wrap ?? true) && s.pbc.some(Boolean) ? wrapPositions(s.cell, s.pbc, s.positions) : s.positions;
  const proj = (p: number[]) => [p[0] * ex[0] + p[1] * ex[1] + p[2] * ex[2], p[0] * ey[0] + p[1] * ey[1] + p[2] * ey[2], p[0] * w[0] + p[1] * w[1] + p[2] * w[2]];
  const pts = Array.from({ length: n }, (_, i) => proj([pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]]));
  const corners: number[][] = [];
  if (hasCell) for (let k = 0; k < 8; k++) {
    const f = [k & 1, (k >> 1) & 1, (k >> 2) & 1];
    corners.push(proj([0, 1, 2].map((d) => f[0] * s.cell[d] + f[1] * s.cell[3 + d] + f[2] * s.cell[6 + d])));
  }
  const scaleR = opts.radiusScale ?? 0.45;
  const all = [...pts, ...corners];
  if (all.length === 0) throw new InputError('structure view: no atoms and no cell');
  const rMax = Math.max(0, ...s.species.map((e) => elementStyle(e).radiusA * scaleR));
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs) - rMax, x1 = Math.max(...xs) + rMax, y0 = Math.min(...ys) - rMax, y1 = Math.max(...ys) + rMax;
  const size = opts.size ?? 360, legendH = 24, margin = 8;
  const k = (size - 2 * margin) / Math.max(x1 - x0, y1 - y0, 1e-6);
  const W = Math.ceil((x1 - x0) * k + 2 * margin), H = Math.ceil((y1 - y0) * k + 2 * margin + legendH);
  const X = (x: number) => (margin + (x - x0) * k).toFixed(2);
  const Y = (y: number) => (legendH + margin + (y1 - y) * k).toFixed(2);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT_FAMILY}">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  if (hasCell) {
    const edges: [number, number][] = [];
    for (let a = 0; a < 8; a++) for (const bit of [1, 2, 4]) if (!(a & bit)) edges.push([a, a | bit]);
    const d = edges.map(([a, b]) => `M${X(corners[a][0])},${Y(corners[a][1])}L${X(corners[b][0])},${Y(corners[b][1])}`).join('');
    out.push(`<path d="${d}" stroke="#000" stroke-width="0.8" fill="none"/>`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pts[b][2] - pts[a][2]);
  for (const i of order) {
    const st = elementStyle(s.species[i]);
    out.push(`<circle cx="${X(pts[i][0])}" cy="${Y(pts[i][1])}" r="${(st.radiusA * scaleR * k).toFixed(2)}" fill="${st.color}" stroke="#333" stroke-width="0.6"/>`);
  }
  let lx = margin;
  const counts = new Map<string, number>();
  for (const e of s.species) counts.set(e, (counts.get(e) ?? 0) + 1);
  for (const [e, c] of counts) {
    out.push(`<circle cx="${lx + 6}" cy="12" r="5.5" fill="${elementStyle(e).color}" stroke="#333" stroke-width="0.6"/>`);
    out.push(`<text x="${lx + 15}" y="16" font-size="11">${e} ${c}</text>`);
    lx += 30 + 7 * `${e} ${c}`.length;
  }
  if (opts.title) out.push(`<text x="${W - margin}" y="16" font-size="11" text-anchor="end">${opts.title.replace(/[&<>]/g, '')}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** Bundle {image/svg+xml, text/plain} of a structure view. */
export function structureBundle(s: Structure, opts: StructureViewOptions = {}): MimeBundle {
  const hasCell = s.cell.some((x) => x !== 0);
  let text = `Structure ${formula(s.species)} (${s.species.length} atoms)`;
  if (hasCell) {
    const [a, b, c, al, be, ga] = cellParameters(s.cell);
    text += `, cell a=${a.toFixed(3)} b=${b.toFixed(3)} c=${c.toFixed(3)} Å, α=${al.toFixed(2)} β=${be.toFixed(2)} γ=${ga.toFixed(2)}°`;
  }
  return { 'image/svg+xml': structureSvg(s, opts), 'text/plain': text };
}

/** Displays a structure view in the notebook (its text summary elsewhere). */
export function showStructure(s: Structure, opts: StructureViewOptions = {}): void {
  publish(structureBundle(s, opts));
}
