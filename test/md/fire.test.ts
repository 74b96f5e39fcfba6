import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fire } from '../../src/md/minimize/fire';
import { volume } from '../../src/core/cell';
import { InputError } from '../../src/core/errors';
import { rng } from '../helpers/random';
import { argonFcc } from './systems';

test('FIRE relaxes a perturbed LJ crystal back to the perfect lattice energy', () => {
  const { sys, calc } = argonFcc(2, 1.0);
  const e0 = calc.compute(sys.positions, sys.cell).energy;
  const u = rng(4);
  const x = sys.positions.map((v) => v + 0.15 * (u() - 0.5));
  const r = fire(calc, x, sys.cell, { fmax: 1e-5, maxSteps: 5000 });
  assert.ok(r.converged, `not converged: fmax ${r.fmax}`);
  assert.ok(Math.abs(r.energy - e0) < 1e-8 * Math.abs(e0), `${r.energy} vs ${e0}`);
});

test('FIRE with the cell finds the zero-pressure lattice constant of a 1D energy scan, and a target pressure', () => {
  const { sys, calc } = argonFcc(2, 0.9);
  const L0 = sys.cell[0];
  const energyAt = (s: number) => calc.compute(sys.positions.map((v) => v * s), sys.cell.map((v) => v * s)).energy;
  // golden-section search of E(scale)
  let a = 0.9, b = 1.2;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 80; k++) { const c = b - g * (b - a), d = a + g * (b - a); if (energyAt(c) < energyAt(d)) b = d; else a = c; }
  const sRef = (a + b) / 2;
  for (const mode of ['isotropic', 'full'] as const) {
    const r = fire(calc, sys.positions, sys.cell, { cell: mode, fmax: 1e-6, stressTolGPa: 1e-6, maxSteps: 5000 });
    assert.ok(r.converged, `${mode}: not converged`);
    assert.ok(Math.abs(r.cell[0] / L0 - sRef) < 1e-5, `${mode}: scale ${r.cell[0] / L0} vs ${sRef}`);
    assert.ok(Math.abs(r.cell[1]) < 1e-6 && Math.abs(r.cell[4] - r.cell[0]) < 1e-6);
  }
  const p = 0.05; // GPa
  const r = fire(calc, sys.positions, sys.cell, { cell: 'orthorhombic', pressureGPa: p, fmax: 1e-6, stressTolGPa: 1e-6, maxSteps: 5000 });
  assert.ok(r.converged);
  for (const k of [0, 4, 8]) assert.ok(Math.abs(r.stressGPa[k] + p) < 1e-5, `stress ${r.stressGPa[k]}`);
  assert.ok(volume(r.cell) < (sRef * L0) ** 3);
});

test('FIRE rejects bad options', () => {
  const { sys, calc } = argonFcc(1, 1.0);
  assert.throws(() => fire(calc, sys.positions, sys.cell, { fmax: -1 }), InputError);
  assert.throws(() => fire(calc, sys.positions, sys.cell, { cell: 'cubic' as 'full' }), InputError);
});
