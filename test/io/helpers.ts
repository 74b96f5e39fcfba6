/** Shared helpers of the io tests: exact structure comparison, random structures, temp dirs. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AtomArray, InfoValue, Structure } from '../../src/core/structure';
import { ParseError } from '../../src/core/errors';
import { createStructure } from '../../src/core/structure';
import { randomTriclinicCell } from '../helpers/random';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'io');

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ufnmr-io-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Same numbers bit for bit (Object.is per element, so −0 ≠ 0 and NaN = NaN). */
export function assertSameNumbers(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} !== ${b[i]}`);
}

/** Numbers equal within an absolute tolerance. */
export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol)) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]} (tol ${tol})`);
}

function sameArray(a: AtomArray, b: AtomArray, name: string): void {
  assert.equal(a.kind, b.kind, `array ${name} kind`);
  assert.equal(a.width, b.width, `array ${name} width`);
  if (a.kind === 'string') assert.deepEqual(a.data, b.data, `array ${name}`);
  else assertSameNumbers(a.data as ArrayLike<number>, b.data as ArrayLike<number>, `array ${name}`);
}

/** Structures identical bit for bit (species, positions, cell, pbc, arrays, info). */
export function assertSameStructure(a: Structure, b: Structure, opts: { ignoreInfo?: string[]; ignoreArrays?: string[] } = {}): void {
  assert.deepEqual(a.species, b.species, 'species');
  assertSameNumbers(a.positions, b.positions, 'positions');
  assertSameNumbers(a.cell, b.cell, 'cell');
  assert.deepEqual(a.pbc, b.pbc, 'pbc');
  const ia = (k: string) => !(opts.ignoreArrays ?? []).includes(k);
  assert.deepEqual(Object.keys(a.arrays).filter(ia).sort(), Object.keys(b.arrays).filter(ia).sort(), 'array names');
  for (const k of Object.keys(a.arrays).filter(ia)) sameArray(a.arrays[k], b.arrays[k], k);
  const ii = (k: string) => !(opts.ignoreInfo ?? []).includes(k);
  const infoA: Record<string, InfoValue> = {}, infoB: Record<string, InfoValue> = {};
  for (const [k, v] of Object.entries(a.info)) if (ii(k)) infoA[k] = v;
  for (const [k, v] of Object.entries(b.info)) if (ii(k)) infoB[k] = v;
  assert.deepEqual(infoB, infoA, 'info');
}

const ELEMENTS = ['Li', 'P', 'S'];

/** A random periodic triclinic structure with forces (and optionally more arrays). */
export function randomStructure(u: () => number, n: number, opts: { extraArrays?: boolean; info?: Record<string, InfoValue>; cell?: Float64Array } = {}): Structure {
  const cell = opts.cell ?? randomTriclinicCell(u, 20 * n + 50);
  const species = Array.from({ length: n }, () => ELEMENTS[Math.floor(u() * 3)]);
  const frac = Array.from({ length: 3 * n }, () => u() * 1.2 - 0.1);
  const positions = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) positions[3 * i + k] = frac[3 * i] * cell[k] + frac[3 * i + 1] * cell[3 + k] + frac[3 * i + 2] * cell[6 + k];
  const arrays: Record<string, AtomArray> = { forces: { kind: 'float', width: 3, data: Float64Array.from({ length: 3 * n }, () => (u() - 0.5) * 10 ** (4 * u() - 2)) } };
  if (opts.extraArrays) {
    arrays.efg = { kind: 'float', width: 9, data: Float64Array.from({ length: 9 * n }, () => u() - 0.5) };
    arrays.tag = { kind: 'int', width: 1, data: Int32Array.from({ length: n }, () => Math.floor(u() * 2000) - 1000) };
    arrays.fixed = { kind: 'bool', width: 3, data: Uint8Array.from({ length: 3 * n }, () => (u() < 0.5 ? 1 : 0)) };
    arrays.label = { kind: 'string', width: 1, data: Array.from({ length: n }, (_, i) => `s${i}`) };
  }
  return createStructure({ species, positions, cell, pbc: true, arrays, info: opts.info ?? { energy: (u() - 0.5) * 1000 } });
}

/** assert.throws validator: a ParseError whose message matches re. */
export const isParse = (re: RegExp) => (e: unknown): boolean => e instanceof ParseError && re.test((e as Error).message);
