import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadPotential } from '../../src/ufp';
import { createSystem, kineticEnergy, pressure } from '../../src/md/system';
import { Integrator } from '../../src/md/integrators/integrator';
import { EV_PER_A3_IN_BAR } from '../../src/core/units';
import { readStructure } from '../../src/io';
import { getFloatArray } from '../../src/core/structure';

const FIX = join(__dirname, '../fixtures');

test('NVE reproduces LAMMPS pair_style uf3 on the 768-atom Li–P–S bench case (100 steps of 0.5 fs)', () => {
  const typeMap = ['Li', 'P', 'S'];
  const s = readStructure(join(FIX, 'ufp/nve_dump_step0.lammpstrj'), { typeMap });
  const f100 = readStructure(join(FIX, 'md/lps_bench_nve_step100.lammpstrj'), { typeMap });
  const thermo = readFileSync(join(FIX, 'md/lps_bench_nve_thermo.txt'), 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
  const L = [s.cell[0], s.cell[4], s.cell[8]];
  // velocities: the dump's Å/ps (LAMMPS metal) are read as Å/fs
  const sys = createSystem(s, { masses: { Li: 6.94, P: 30.974, S: 32.06 }, velocities: getFloatArray(s, 'velocities', 3) });
  const calc = loadPotential(join(FIX, 'ufp/bench_lps.uf3')).bind(s.species, s.pbc);
  const integ = new Integrator({ dtFs: 0.5 });
  integ.prepare(sys, calc);
  let worst = 0;
  for (const row of thermo) {
    while (sys.step < row[0]) integ.step(sys, calc);
    const pe = sys.potentialEnergy, ke = kineticEnergy(sys);
    for (const [ours, ref] of [[pe, row[2]], [ke, row[3]], [pe + ke, row[4]]]) {
      const rel = Math.abs(ours - ref) / Math.abs(ref);
      worst = Math.max(worst, rel);
      assert.ok(rel < 1e-6, `step ${row[0]}: ${ours} vs LAMMPS ${ref} (rel ${rel})`);
    }
    // pressure (bar): LAMMPS uses the same 2K + tr W over 3V
    const p = pressure(sys) * EV_PER_A3_IN_BAR;
    assert.ok(Math.abs(p - row[5]) / Math.abs(row[5]) < 1e-5, `step ${row[0]} pressure ${p} vs ${row[5]}`);
  }
  const xref = f100.positions;
  let dmax = 0;
  for (let k = 0; k < xref.length; k++) {
    const d = sys.positions[k] - xref[k], l = L[k % 3];
    dmax = Math.max(dmax, Math.abs(d - l * Math.round(d / l))); // LAMMPS dumps wrapped positions
  }
  if (process.env.MD_TEST_VERBOSE) console.log({ worstRelativeEnergy: worst, maxPositionErrorA: dmax });
  assert.ok(dmax < 1e-6, `step-100 positions differ by up to ${dmax} Å`);
});
