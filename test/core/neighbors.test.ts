import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNeighborList, NeighborListBuilder, VerletNeighborList, neighborVectors, neighborDistances, type NeighborList } from '../../src/core/neighbors';
import { cartesianToFractional, fractionalToCartesian, inv3, perpendicularWidths, type Pbc } from '../../src/core/cell';
import { InputError } from '../../src/core/errors';
import { rng, randomTriclinicCell } from '../helpers/random';

/** Reference: every (i, j, n) with |x_j + n·H − x_i| < rc, by direct enumeration of all images. */
function bruteForce(pos: Float64Array, cell: Float64Array, pbc: Pbc, rc: number): Map<string, number> {
  const n = pos.length / 3;
  const out = new Map<string, number>();
  const f = cartesianToFractional(cell, pos);
  const w = perpendicularWidths(cell);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const range = [0, 1, 2].map((k) => {
        if (!pbc[k]) return [0, 0];
        const d = f[3 * j + k] - f[3 * i + k], s = rc / w[k];
        return [Math.ceil(-d - s) - 1, Math.floor(-d + s) + 1];
      });
      for (let a = range[0][0]; a <= range[0][1]; a++)
        for (let b = range[1][0]; b <= range[1][1]; b++)
          for (let c = range[2][0]; c <= range[2][1]; c++) {
            if (i === j && a === 0 && b === 0 && c === 0) continue;
            const r = [0, 1, 2].map((x) => pos[3 * j + x] + a * cell[x] + b * cell[3 + x] + c * cell[6 + x] - pos[3 * i + x]);
            const d = Math.hypot(r[0], r[1], r[2]);
            if (d < rc) out.set(`${i},${j},${a},${b},${c}`, d);
          }
    }
  return out;
}

/** The list as a map key → distance, checking CSR structure on the way. */
function entries(list: NeighborList, pos: Float64Array, cell: Float64Array): Map<string, number> {
  const n = pos.length / 3;
  assert.equal(list.start.length, n + 1);
  assert.equal(list.start[0], 0);
  assert.equal(list.start[n], list.index.length);
  assert.equal(list.image.length, 3 * list.index.length);
  const d = neighborDistances(list, pos, cell);
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    assert.ok(list.start[i + 1] >= list.start[i]);
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      const key = `${i},${list.index[e]},${list.image[3 * e]},${list.image[3 * e + 1]},${list.image[3 * e + 2]}`;
      assert.ok(!out.has(key), `duplicate entry ${key}`);
      out.set(key, d[e]);
    }
  }
  return out;
}

/** Same pair sets, ignoring pairs within 1e-9 Å of the cutoff (rounding can put them either side). */
function assertSameSet(got: Map<string, number>, want: Map<string, number>, rc: number, what: string): void {
  for (const [k, d] of want) if (Math.abs(d - rc) > 1e-9) assert.ok(got.has(k), `${what}: missing ${k} at ${d}`);
  for (const [k, d] of got) {
    assert.ok(d < rc + 1e-9, `${what}: ${k} at ${d} ≥ cutoff ${rc}`);
    if (Math.abs(d - rc) > 1e-9) assert.ok(want.has(k), `${what}: extra ${k} at ${d}`);
  }
}

function reversed(key: string): string {
  const [i, j, a, b, c] = key.split(',').map(Number);
  return `${j},${i},${-a || 0},${-b || 0},${-c || 0}`;
}

/** Positions uniformly spread over fractional [lo, hi)³ of the cell (so also outside it). */
function randomPositions(u: () => number, cell: Float64Array, n: number, lo = 0, hi = 1): Float64Array {
  const f = Float64Array.from({ length: 3 * n }, () => lo + (hi - lo) * u());
  return fractionalToCartesian(cell, f);
}

test('full lists equal brute force on random skewed triclinic cells, cutoffs up to 3× the cell, positions outside the cell', () => {
  const u = rng(11);
  let cases = 0;
  for (const nAtoms of [2, 3, 7, 20, 60]) {
    for (let t = 0; t < 6; t++) {
      const cell = randomTriclinicCell(u, nAtoms * 25, t % 2 ? 1.5 : 0.4);
      const pos = randomPositions(u, cell, nAtoms, -2, 3);
      const wmin = Math.min(...perpendicularWidths(cell));
      for (const rc of (nAtoms < 20 ? [0.3, 0.9, 1.7, 3.1] : [0.3, 0.9, 1.7]).map((x) => x * wmin)) {
        const want = bruteForce(pos, cell, [true, true, true], rc);
        const got = entries(buildNeighborList(pos, cell, [true, true, true], rc), pos, cell);
        assertSameSet(got, want, rc, `N=${nAtoms} rc=${rc.toFixed(2)}`);
        cases++;
      }
    }
  }
  assert.equal(cases, 6 * (3 * 4 + 2 * 3));
});

test('half lists hold each unordered pair (incl. self-image pairs) exactly once and match the full list', () => {
  const u = rng(12);
  for (let t = 0; t < 30; t++) {
    const n = 1 + Math.floor(u() * 40);
    const cell = randomTriclinicCell(u, 20 * n + 10, 1.2);
    const pbc: Pbc = [u() < 0.8, u() < 0.8, u() < 0.8];
    const pos = randomPositions(u, cell, n, -1, 2);
    const rc = (0.5 + 2 * u()) * Math.min(...perpendicularWidths(cell));
    const full = entries(buildNeighborList(pos, cell, pbc, rc), pos, cell);
    const half = entries(buildNeighborList(pos, cell, pbc, rc, { full: false }), pos, cell);
    assert.equal(half.size * 2, full.size, 'half has half the entries of full');
    for (const k of half.keys()) {
      assert.ok(full.has(k), `half entry ${k} not in the full list`);
      assert.ok(!half.has(reversed(k)), `pair ${k} listed twice in the half list`);
    }
    for (const k of full.keys()) assert.ok(half.has(k) || half.has(reversed(k)), `pair ${k} missing from the half list`);
    assert.ok(buildNeighborList(pos, cell, pbc, rc, { full: false }).full === false);
  }
});

test('mixed and absent periodicity equal brute force (slab, wire, molecule with an all-zero cell)', () => {
  const u = rng(13);
  const cases: Pbc[] = [[true, true, false], [false, true, false], [true, false, true], [false, false, false]];
  for (const pbc of cases) {
    for (let t = 0; t < 4; t++) {
      const n = 5 + Math.floor(u() * 60);
      const cell = randomTriclinicCell(u, 12 * n, 0.8);
      const pos = randomPositions(u, cell, n, -0.5, 1.5);
      const rc = (0.3 + 1.5 * u()) * Math.min(...perpendicularWidths(cell));
      assertSameSet(entries(buildNeighborList(pos, cell, pbc, rc), pos, cell), bruteForce(pos, cell, pbc, rc), rc, `pbc=${pbc}`);
    }
  }
  // a molecule without a cell
  const pos = Float64Array.from({ length: 90 }, () => 8 * u());
  const zero = new Float64Array(9);
  const list = buildNeighborList(pos, zero, [false, false, false], 2.5);
  const want = new Map<string, number>();
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) {
    const d = Math.hypot(pos[3 * j] - pos[3 * i], pos[3 * j + 1] - pos[3 * i + 1], pos[3 * j + 2] - pos[3 * i + 2]);
    if (i !== j && d < 2.5) want.set(`${i},${j},0,0,0`, d);
  }
  assertSameSet(entries(list, pos, zero), want, 2.5, 'molecule');
  // a slab whose non-periodic c vector is zero
  const slabCell = new Float64Array([5, 0, 0, 1, 4, 0, 0, 0, 0]);
  const slab = Float64Array.from({ length: 60 }, (_, k) => (k % 3 === 2 ? 6 * u() : 5 * u()));
  const ref = bruteForce(slab, new Float64Array([5, 0, 0, 1, 4, 0, 0, 0, 1]), [true, true, false], 4.5);
  assertSameSet(entries(buildNeighborList(slab, slabCell, [true, true, false], 4.5), slab, slabCell), ref, 4.5, 'slab with zero c');
});

test('5000 atoms at LPS density with a 6 Å cutoff equal brute force; builder reuse gives identical lists', () => {
  const u = rng(14);
  const n = 5000;
  const cell = randomTriclinicCell(u, n / 0.04, 0.5);
  const pos = randomPositions(u, cell, n, 0, 1);
  pos[0] += 3 * cell[0]; pos[1] += 3 * cell[1]; pos[2] += 3 * cell[2]; // one atom three cells away
  const rc = 6;
  // brute force by minimum image is exact here: the cell is wider than 2·rc in every direction
  const w = perpendicularWidths(cell);
  assert.ok(Math.min(...w) > 2 * rc);
  const f = cartesianToFractional(cell, pos);
  const list = new NeighborListBuilder().build(pos, cell, [true, true, true], rc);
  const dist = neighborDistances(list, pos, cell);
  // numeric keys from j and the image (|n_k| < 50 here); pairs within 1e-9 Å of rc are skipped
  const key = (j: number, a: number, b: number, c: number) => j * 1e6 + (a + 50) * 1e4 + (b + 50) * 100 + (c + 50);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const want: number[] = [];
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const a = -Math.round(f[3 * j] - f[3 * i]), b = -Math.round(f[3 * j + 1] - f[3 * i + 1]), c = -Math.round(f[3 * j + 2] - f[3 * i + 2]);
      const dx = pos[3 * j] + a * cell[0] + b * cell[3] + c * cell[6] - pos[3 * i];
      const dy = pos[3 * j + 1] + a * cell[1] + b * cell[4] + c * cell[7] - pos[3 * i + 1];
      const dz = pos[3 * j + 2] + a * cell[2] + b * cell[5] + c * cell[8] - pos[3 * i + 2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
      if (d < rc && Math.abs(d - rc) > 1e-9) want.push(key(j, a, b, c));
    }
    const got: number[] = [];
    for (let e = list.start[i]; e < list.start[i + 1]; e++) {
      if (Math.abs(dist[e] - rc) > 1e-9) got.push(key(list.index[e], list.image[3 * e], list.image[3 * e + 1], list.image[3 * e + 2]));
    }
    want.sort((x, y) => x - y); got.sort((x, y) => x - y);
    assert.deepEqual(got, want, `atom ${i}`);
    total += got.length;
  }
  assert.ok(total > 33 * n && total < 40 * n, `about 36 neighbours per atom, got ${total / n}`);
  const builder = new NeighborListBuilder();
  const copy = { start: list.start.slice(), index: list.index.slice(), image: list.image.slice() };
  builder.build(pos.subarray(0, 300), cell, [true, true, true], 9); // something else in between
  const again = builder.build(pos, cell, [true, true, true], rc);
  assert.deepEqual(again.start, copy.start);
  assert.deepEqual(again.index, copy.index);
  assert.deepEqual(again.image, copy.image);
});

test('analytic counts: fcc coordination shells and an atom among its own images', () => {
  // fcc with a = 4 Å: shells at a/√2 (12), a (6), a·√1.5 (24), a·√2 (12)
  const a = 4;
  const basis = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];
  const reps = 3, cell = new Float64Array([a * reps, 0, 0, 0, a * reps, 0, 0, 0, a * reps]);
  const pos: number[] = [];
  for (let x = 0; x < reps; x++) for (let y = 0; y < reps; y++) for (let z = 0; z < reps; z++) for (const b of basis) pos.push((x + b[0]) * a, (y + b[1]) * a, (z + b[2]) * a);
  const p = Float64Array.from(pos);
  for (const [rc, count] of [[3, 12], [4.2, 18], [5.2, 42], [5.8, 54]] as const) {
    const list = buildNeighborList(p, cell, [true, true, true], rc);
    for (let i = 0; i < p.length / 3; i++) assert.equal(list.start[i + 1] - list.start[i], count, `rc=${rc} atom ${i}`);
  }
  // primitive fcc cell (one atom): the neighbours are the atom's own images; cutoff far beyond the cell
  const prim = new Float64Array([0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0]);
  const one = buildNeighborList(new Float64Array([0.3, -7, 2]), prim, [true, true, true], 5.8);
  assert.equal(one.index.length, 54);
  assert.ok(one.index.every((j) => j === 0));
  // simple cubic 3 Å, rc 6.5: lattice points with 0 < |n|² < (6.5/3)² = 4.69 → 6 + 12 + 8 + 6
  const sc = buildNeighborList(new Float64Array([1, 1, 1]), new Float64Array([3, 0, 0, 0, 3, 0, 0, 0, 3]), [true, true, true], 6.5);
  assert.equal(sc.index.length, 32);
  assert.equal(buildNeighborList(new Float64Array([1, 1, 1]), new Float64Array([3, 0, 0, 0, 3, 0, 0, 0, 3]), [true, true, true], 6.5, { full: false }).index.length, 16);
});

test('pair vectors are x_j + n·H − x_i and do not change when atoms are moved by lattice vectors', () => {
  const u = rng(15);
  const cell = randomTriclinicCell(u, 400, 1.0);
  const pos = randomPositions(u, cell, 30, 0, 1);
  const list = buildNeighborList(pos, cell, [true, true, true], 5);
  const v = neighborVectors(list, pos, cell);
  // shift each atom by a random lattice translation
  const moved = Float64Array.from(pos);
  for (let i = 0; i < 30; i++) {
    const t = [Math.floor(7 * u()) - 3, Math.floor(7 * u()) - 3, Math.floor(7 * u()) - 3];
    for (let x = 0; x < 3; x++) moved[3 * i + x] += t[0] * cell[x] + t[1] * cell[3 + x] + t[2] * cell[6 + x];
  }
  const list2 = buildNeighborList(moved, cell, [true, true, true], 5);
  const v2 = neighborVectors(list2, moved, cell);
  const key = (l: NeighborList, vec: Float64Array, e: number, i: number) => `${i},${l.index[e]},${vec.slice(3 * e, 3 * e + 3).map((x) => Math.round(x * 1e6)).join(',')}`;
  const set1 = new Set<string>(), set2 = new Set<string>();
  for (let i = 0; i < 30; i++) {
    for (let e = list.start[i]; e < list.start[i + 1]; e++) set1.add(key(list, v, e, i));
    for (let e = list2.start[i]; e < list2.start[i + 1]; e++) set2.add(key(list2, v2, e, i));
  }
  assert.deepEqual([...set2].sort(), [...set1].sort());
  const out = new Float64Array(3 * list.index.length + 3);
  assert.equal(neighborVectors(list, pos, cell, out), out);
  assert.throws(() => neighborVectors(list, pos, cell, new Float64Array(2)), InputError);
  assert.throws(() => neighborVectors(list, pos.subarray(3), cell), InputError);
});

test('Verlet list: rebuilds only after a move beyond skin/2 or a cell change, and always contains every pair within the cutoff', () => {
  const u = rng(16);
  const cell = randomTriclinicCell(u, 3000, 0.7);
  const n = 120, rc = 4, skin = 1;
  const pos = randomPositions(u, cell, n, 0, 1);
  const vl = new VerletNeighborList(rc, skin, { full: true });
  assert.throws(() => vl.list, InputError);
  assert.equal(vl.update(pos, cell, [true, true, true]), true);
  assert.equal(vl.list.cutoff, rc + skin);
  assert.equal(vl.update(pos, cell, [true, true, true]), false);
  let rebuilds = 0;
  for (let step = 0; step < 60; step++) {
    for (let k = 0; k < pos.length; k++) pos[k] += 0.15 * (u() - 0.5);
    const before = vl.maxDisplacement(pos);
    const rebuilt = vl.update(pos, cell, [true, true, true]);
    assert.equal(rebuilt, before > skin / 2, `step ${step}: moved ${before}`);
    if (rebuilt) rebuilds++;
    // every pair within rc (fresh list, itself checked against brute force above) must be in the Verlet list
    const want = entries(buildNeighborList(pos, cell, [true, true, true], rc), pos, cell);
    const have = entries(vl.list, pos, cell);
    for (const [k, d] of want) if (d < rc - 1e-9) assert.ok(have.has(k), `step ${step}: missing ${k}`);
  }
  assert.ok(rebuilds >= 3 && rebuilds < 40, `rebuilds ${rebuilds}`);
  // a changed cell, pbc or atom count forces a rebuild
  const bigger = cell.map((x) => x * 1.001);
  assert.equal(vl.update(pos, bigger, [true, true, true]), true);
  assert.equal(vl.update(pos, bigger, [true, true, false]), true);
  assert.equal(vl.update(pos.subarray(0, 3 * (n - 1)), bigger, [true, true, false]), true);
  // a single atom moving just beyond skin/2
  const p2 = Float64Array.from(pos.subarray(0, 3 * (n - 1)));
  p2[0] += 0.49 * skin;
  assert.equal(vl.update(p2, bigger, [true, true, false]), false);
  p2[0] += 0.02 * skin;
  assert.equal(vl.update(p2, bigger, [true, true, false]), true);
});

test('the bin size is a tuning knob only: the same pairs for any bins per cutoff', () => {
  const u = rng(17);
  for (const skew of [0.2, 1.5]) {
    const cell = randomTriclinicCell(u, 2000, skew);
    const pos = randomPositions(u, cell, 150, -1, 2);
    const ref = entries(buildNeighborList(pos, cell, [true, false, true], 5), pos, cell);
    for (const k of [0.5, 1, 1.5, 3, 8]) {
      const got = entries(buildNeighborList(pos, cell, [true, false, true], 5, { binsPerCutoff: k }), pos, cell);
      assert.deepEqual([...got.keys()].sort(), [...ref.keys()].sort(), `binsPerCutoff ${k}`);
    }
  }
});

test('bad input gives InputError naming the problem', () => {
  const cell = new Float64Array([5, 0, 0, 0, 5, 0, 0, 0, 5]);
  const pos = new Float64Array([0, 0, 0, 1, 1, 1]);
  assert.throws(() => buildNeighborList(pos, cell, [true, true, true], 0), (e: Error) => e instanceof InputError && /cutoff/.test(e.message));
  assert.throws(() => buildNeighborList(pos, cell, [true, true, true], NaN), InputError);
  assert.throws(() => buildNeighborList(pos.subarray(1), cell, [true, true, true], 2), (e: Error) => e instanceof InputError && /3N/.test(e.message));
  assert.throws(() => buildNeighborList(new Float64Array([0, 0, 0, 1, NaN, 1]), cell, [true, true, true], 2), (e: Error) => e instanceof InputError && /atom 1/.test(e.message));
  assert.throws(() => buildNeighborList(pos, new Float64Array([5, 0, 0, 10, 0, 0, 0, 0, 5]), [true, true, true], 2), (e: Error) => e instanceof InputError && /degenerate|dependent/.test(e.message));
  assert.throws(() => buildNeighborList(pos, new Float64Array(9), [true, false, false], 2), (e: Error) => e instanceof InputError && /zero/.test(e.message));
  assert.throws(() => buildNeighborList(pos, new Float64Array(8), [true, true, true], 2), InputError);
  assert.throws(() => buildNeighborList(pos, new Float64Array([0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1]), [true, true, true], 500), (e: Error) => e instanceof InputError && /too large/.test(e.message));
  assert.throws(() => new VerletNeighborList(3, -1), InputError);
  const empty = buildNeighborList(new Float64Array(0), cell, [true, true, true], 3);
  assert.deepEqual([...empty.start], [0]);
  assert.equal(empty.index.length, 0);
});
