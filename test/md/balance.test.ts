import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadPotential } from '../../src/ufp';
import { createUF3RangeKernel, type UF3Potential } from '../../src/ufp/potential';
import type { FullPairList } from '../../src/ufp/kernel';
import { readStructure } from '../../src/io';
import { createStructure, supercell, type Structure } from '../../src/core/structure';
import { ParallelCalculator, bindCalculator } from '../../src/md/parallel/parallelCalculator';
import { createSystem } from '../../src/md/system';
import { maxwellBoltzmann } from '../../src/md/velocities';
import { Integrator } from '../../src/md/integrators/integrator';
import { Simulation } from '../../src/md/simulation';
import { CallbackObserver } from '../../src/md/observers';
import { readCheckpoint } from '../../src/md/checkpoint';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');
const pot = () => loadPotential(join(FIX, 'bench_lps.uf3')) as UF3Potential;
const bench = (): Structure => readStructure(join(FIX, 'nve_dump_step0.lammpstrj'), { typeMap: ['Li', 'P', 'S'] });

/** Per-atom costs and work counts (entries, owned pairs, triplets) of the UF3 range kernel for a structure. */
function costs(s: Structure): { cost: Float64Array; counts: Float64Array } {
  const spec = pot().kernelSpec(s.species, s.pbc);
  const k = createUF3RangeKernel(spec.data);
  k.prepare(s.positions, s.cell);
  const counts = k.kernel.centreCounts(s.positions, s.cell, k.types, (k as unknown as { nl: { list: FullPairList } }).nl.list, new Float64Array(3 * s.species.length));
  return { cost: k.atomCosts(s.positions, s.cell), counts };
}

/** Brute force: unordered pairs (periodic images included) closer than the 2-body cutoff of their element pair. */
function pairsWithinCutoff(s: Structure): number {
  const model = pot().model, n = s.species.length;
  const rc = (a: string, b: string) => model.twoBody.find((t) => (t.elements[0] === a && t.elements[1] === b) || (t.elements[0] === b && t.elements[1] === a))!.cutoff;
  let count = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const c = rc(s.species[i], s.species[j]);
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let d = -1; d <= 1; d++) {
      if (i === j && (a > 0 || (a === 0 && (b > 0 || (b === 0 && d >= 0))))) continue; // each self-image pair once, not the atom itself
      const v = [0, 1, 2].map((k) => s.positions[3 * j + k] - s.positions[3 * i + k] + a * s.cell[k] + b * s.cell[3 + k] + d * s.cell[6 + k]);
      if (Math.hypot(v[0], v[1], v[2]) < c) count++;
    }
  }
  return count;
}

/** The atoms reordered: all of one element after the other (Li, P, S), as many files list them. */
function sortedBySpecies(s: Structure): { sorted: Structure; order: number[] } {
  const rank: Record<string, number> = { Li: 0, P: 1, S: 2 };
  const order = Array.from(s.species.keys()).sort((a, b) => rank[s.species[a]] - rank[s.species[b]] || a - b);
  const positions = Float64Array.from(order.flatMap((i) => [s.positions[3 * i], s.positions[3 * i + 1], s.positions[3 * i + 2]]));
  return { sorted: createStructure({ species: order.map((i) => s.species[i]), positions, cell: s.cell, pbc: s.pbc }), order };
}

test('UF3 work counts: entries and triplets follow the atoms (translation, permutation, supercell); each pair owned once', () => {
  const s = bench();
  const { cost, counts } = costs(s);
  const n = s.species.length;
  const col = (c: Float64Array, q: number) => Array.from({ length: c.length / 3 }, (_, i) => c[3 * i + q]);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  assert.ok(cost.every((v, i) => v > 0 && v === counts[3 * i] + counts[3 * i + 1] + 3 * counts[3 * i + 2]));
  assert.ok(sum(col(counts, 2)) > 0, 'the bench potential has 3-body terms');
  // every unordered pair within its 2-body cutoff is owned (evaluated) by exactly one of its atoms
  assert.equal(sum(col(counts, 1)), pairsWithinCutoff(s));
  const moved = createStructure({ species: s.species, positions: Float64Array.from(s.positions, (x, k) => x + [5.3, -2.1, 17.9][k % 3]), cell: s.cell, pbc: s.pbc });
  assert.deepEqual(Array.from(costs(moved).counts), Array.from(counts));
  const { sorted, order } = sortedBySpecies(s);
  const cs = costs(sorted).counts;
  order.forEach((i, k) => { assert.equal(cs[3 * k], counts[3 * i], `entries of atom ${i}`); assert.equal(cs[3 * k + 2], counts[3 * i + 2], `triplets of atom ${i}`); });
  assert.equal(sum(col(cs, 1)), sum(col(counts, 1)));
  const sc = costs(supercell(s, [1, 1, 2])).counts;
  for (let i = 0; i < n; i++) for (const q of [0, 2]) { assert.equal(sc[3 * i + q], counts[3 * i + q]); assert.equal(sc[3 * (n + i) + q], counts[3 * i + q]); }
  assert.equal(sum(col(sc, 1)), 2 * sum(col(counts, 1)));
});

test('cost-balanced thread ranges: equal cost shares, parallel = serial, bounds reproducible', async () => {
  const { sorted } = sortedBySpecies(bench());
  const c = costs(sorted).cost;
  const ref = pot().bind(sorted.species, sorted.pbc).compute(sorted.positions, sorted.cell);
  for (const threads of [2, 3]) {
    const par = bindCalculator(pot(), sorted.species, sorted.pbc, threads) as ParallelCalculator;
    const r = par.compute(sorted.positions, sorted.cell);
    const b = par.getBounds();
    const total = c.reduce((a, v) => a + v, 0), maxOne = Math.max(...c);
    for (let t = 0; t < threads; t++) {
      let share = 0;
      for (let i = b[t]; i < b[t + 1]; i++) share += c[i];
      assert.ok(Math.abs(share - total / threads) <= maxOne, `thread ${t}: cost ${share} vs ${total / threads}`);
    }
    let d = 0;
    for (let k = 0; k < r.forces.length; k++) d = Math.max(d, Math.abs(r.forces[k] - ref.forces[k]));
    assert.ok(d < 1e-12, `forces differ by ${d}`);
    assert.ok(Math.abs(r.energy - ref.energy) < 1e-11 * Math.abs(ref.energy));
    // a second calculator on the same positions chooses the same bounds (deterministic, no timings)
    const again = bindCalculator(pot(), sorted.species, sorted.pbc, threads) as ParallelCalculator;
    again.compute(sorted.positions, sorted.cell);
    assert.deepEqual(again.getBounds(), b);
    await par.dispose(); await again.dispose();
  }
});

test('UF3 two-thread MD with cost-balanced ranges resumes bit-identically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-bal-'));
  try {
    const { sorted } = sortedBySpecies(bench());
    const run = async (name: string, resume: boolean, stopAt?: number) => {
      const sys = createSystem(sorted, { masses: { Li: 6.94, P: 30.974, S: 32.06 } });
      maxwellBoltzmann(sys, { temperatureK: 600, seed: 4 });
      const calc = bindCalculator(pot(), sys.species, sys.pbc, 2);
      const sim = new Simulation({ system: sys, calculator: calc, stages: [{ name: 'nve', steps: 12, integrator: new Integrator({ dtFs: 0.5 }) }], checkpoint: { path: join(dir, name), every: 6 } });
      if (stopAt) sim.observers.push(new CallbackObserver(1, (ctx) => { if (ctx.sys.step === stopAt) sim.requestStop('test'); }));
      if (resume) sim.restore(readCheckpoint(join(dir, name)));
      await sim.run();
      const bounds = (calc as ParallelCalculator).getBounds();
      await calc.dispose?.();
      return { sys, bounds };
    };
    const full = await run('a.json', false);
    assert.notDeepEqual(full.bounds, [0, 384, 768]); // the sorted cell is not balanced by atom counts
    await run('b.json', false, 6);
    const resumed = await run('b.json', true);
    assert.deepEqual(resumed.bounds, full.bounds);
    assert.deepEqual(resumed.sys.positions, full.sys.positions);
    assert.deepEqual(resumed.sys.velocities, full.sys.velocities);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
