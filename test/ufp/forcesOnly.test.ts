/**
 * Forces-only data sources (`"energy": "none"`, e.g. other phases whose energies sit on another
 * reference): their frames add force rows only, are left out of the energy baseline and of energy
 * metrics, and the fit still recovers the Ne–Xe Lennard-Jones forces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFit, FitConfig } from '../../src/ufp/fit/fit';
import { loadSource, energyBaseline } from '../../src/ufp/fit/data';
import { InputError } from '../../src/core/errors';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');
const SRC = { path: 'nexe_every8.lammpstrj', typeMap: ['Ne', 'Xe'] };

test('a forces-only source: NaN energies, no energy rows or metrics, forces fitted', async () => {
  const only = loadSource({ ...SRC, energy: 'none', every: 10 }, FIX);
  assert.ok(only.length > 0 && only.every((f) => Number.isNaN(f.energy) && f.forces.length === 3 * f.species.length));
  assert.throws(() => energyBaseline(only, ['Ne', 'Xe']), InputError);
  const withE = loadSource({ ...SRC, energy: 'sum:c_ape', every: 10 }, FIX);
  // the baseline ignores frames without energies
  assert.deepEqual(energyBaseline([...withE, ...only], ['Ne', 'Xe']), energyBaseline(withE, ['Ne', 'Xe']));
  const cfg: FitConfig = {
    elements: ['Ne', 'Xe'],
    data: [{ ...SRC, energy: 'sum:c_ape', label: 'energies', every: 2 }, { ...SRC, energy: 'none', label: 'forces', start: 1, every: 2 }],
    basis: { twoBody: { rMin: 3.2, rMax: 10, intervals: 40, pairs: { 'Ne-Ne': { rMin: 2.0, rMax: 6, intervals: 24 }, 'Ne-Xe': { rMin: 2.6, rMax: 8, intervals: 32 } } } },
    oneBody: { Ne: 0, Xe: 0 },
    solve: { kappa: 0.5, ridge1: 1e-8, ridge2: 1e-10, curvature2: 0 },
    split: { validationFraction: 0.2 },
    targets: { kinds: ['forces'] },
  };
  const r = await runFit(cfg, FIX);
  assert.ok(Number.isNaN(r.validation.forces.energyRmseMeV) && Number.isFinite(r.validation.energies.energyRmseMeV));
  assert.ok(r.validation.forces.forceRmse < 0.01, `forces-only validation force RMSE ${r.validation.forces.forceRmse}`);
  assert.equal(r.parity.validation.forces.energyRef.length, 0);
  // the scan scores only the listed kinds
  assert.ok(Math.abs(r.scan[0].score - r.validation.forces.forceRmse / 0.2) < 1e-12);
});
