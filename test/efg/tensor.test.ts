import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  principalComponents, eulerZYZFromRotation, rotationFromEulerZYZ, tensorFromPrincipal, nmrParameters,
  tensorFromNmrParameters, quadrupolarCouplingHz, cqHzPerVPerA2, auToVPerA2, vPerA2ToAu, vPerA2ToVPerM2,
  vPerM2ToVPerA2, validateTensors, symmetricTraceless, rotateTensor, symmetricEigen, cqAndEta,
} from '../../src/efg/tensor';
import { InputError } from '../../src/core/errors';
import { rng, randomRotation, gaussian } from '../helpers/random';

function randomTensor(u: () => number): Float64Array {
  const g = gaussian(u);
  return symmetricTraceless(Float64Array.from({ length: 9 }, () => g()));
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let d = 0; for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i])); return d; };

test('Haeberlen order and η of a diagonal tensor, in every axis order', () => {
  const vals = [-0.2, -0.8, 1.0];
  for (const perm of [[0, 1, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0]]) {
    const t = new Float64Array(9);
    perm.forEach((p, k) => { t[4 * k] = vals[p]; });
    const p = principalComponents(t);
    assert.ok(Math.abs(p.vxx + 0.2) < 1e-15 && Math.abs(p.vyy + 0.8) < 1e-15 && Math.abs(p.vzz - 1) < 1e-15);
    assert.ok(Math.abs(p.eta - 0.6) < 1e-15);
  }
  // negative V_zz: η still in [0, 1]
  const p = principalComponents(new Float64Array([0.3, 0, 0, 0, 0.5, 0, 0, 0, -0.8]));
  assert.ok(Math.abs(p.vzz + 0.8) < 1e-15 && Math.abs(p.eta - 0.25) < 1e-14);
  // axially symmetric and zero tensors
  assert.equal(principalComponents(new Float64Array([-0.5, 0, 0, 0, -0.5, 0, 0, 0, 1])).eta, 0);
  assert.equal(principalComponents(new Float64Array(9)).eta, 0);
});

test('principal frame round trip: V = R diag(Vxx,Vyy,Vzz) Rᵀ, |Vxx| ≤ |Vyy| ≤ |Vzz|, η ∈ [0,1], R proper', () => {
  const u = rng(11);
  for (let t = 0; t < 500; t++) {
    const V = randomTensor(u);
    const p = principalComponents(V);
    assert.ok(Math.abs(p.vxx) <= Math.abs(p.vyy) + 1e-15 && Math.abs(p.vyy) <= Math.abs(p.vzz) + 1e-15);
    assert.ok(p.eta >= 0 && p.eta <= 1);
    assert.ok(Math.abs(p.vxx + p.vyy + p.vzz) < 1e-13);
    const R = p.axes;
    const RtR = rotateTensor(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), R);
    assert.ok(maxDiff(RtR, [1, 0, 0, 0, 1, 0, 0, 0, 1]) < 1e-13);
    const det = R[0] * (R[4] * R[8] - R[5] * R[7]) - R[1] * (R[3] * R[8] - R[5] * R[6]) + R[2] * (R[3] * R[7] - R[4] * R[6]);
    assert.ok(Math.abs(det - 1) < 1e-13);
    assert.ok(maxDiff(tensorFromPrincipal(p.vxx, p.vyy, p.vzz, R), V) < 1e-13);
    // eigenvalues are rotation invariants
    const q = principalComponents(rotateTensor(V, randomRotation(u)));
    assert.ok(Math.abs(q.vzz - p.vzz) < 1e-12 && Math.abs(q.eta - p.eta) < 1e-10);
  }
});

test('ZYZ Euler angles round trip, including gimbal lock', () => {
  const u = rng(12);
  for (let t = 0; t < 300; t++) {
    const R = randomRotation(u);
    const e = eulerZYZFromRotation(R);
    assert.ok(maxDiff(rotationFromEulerZYZ(e.alpha, e.beta, e.gamma), R) < 1e-12);
    const a = (2 * u() - 1) * Math.PI * 0.999, b = u() * Math.PI, g = (2 * u() - 1) * Math.PI * 0.999;
    const e2 = eulerZYZFromRotation(rotationFromEulerZYZ(a, b, g));
    assert.ok(Math.abs(e2.alpha - a) < 1e-9 && Math.abs(e2.beta - b) < 1e-9 && Math.abs(e2.gamma - g) < 1e-9);
  }
  for (const b of [0, Math.PI]) {
    const R = rotationFromEulerZYZ(0.7, b, 0.4);
    const e = eulerZYZFromRotation(R);
    assert.ok(maxDiff(rotationFromEulerZYZ(e.alpha, e.beta, e.gamma), R) < 1e-12);
  }
  // an active rotation by α about z takes x to (cos α, sin α, 0)
  const Rz = rotationFromEulerZYZ(0.3, 0, 0);
  assert.ok(Math.abs(Rz[3] - Math.sin(0.3)) < 1e-15 && Math.abs(Rz[0] - Math.cos(0.3)) < 1e-15);
});

test('NMR parameters ↔ tensor round trip (C_Q, η, Euler angles)', () => {
  const u = rng(13);
  for (let t = 0; t < 300; t++) {
    const V = randomTensor(u);
    const p = nmrParameters(V);
    const back = tensorFromNmrParameters(p.cqHz, p.eta, p);
    assert.ok(maxDiff(back, V) < 1e-12, `tensor round trip ${maxDiff(back, V)}`);
  }
  const V = tensorFromNmrParameters(120e3, 0.35, { alpha: 0.1, beta: 1.0, gamma: -2.0 });
  const p = nmrParameters(V);
  assert.ok(Math.abs(p.cqHz - 120e3) < 1e-8 && Math.abs(p.eta - 0.35) < 1e-12);
  assert.throws(() => tensorFromNmrParameters(1e3, 1.2, { alpha: 0, beta: 0, gamma: 0 }), InputError);
});

test('7Li C_Q per V/Å² and per atomic unit (science.md §1), other nuclei via Q', () => {
  assert.ok(Math.abs(cqHzPerVPerA2() / 1e3 + 96.96) < 0.01, `${cqHzPerVPerA2()}`);
  assert.ok(Math.abs(quadrupolarCouplingHz(auToVPerA2(1)) / 1e6 + 9.42) < 0.005);
  // C_Q scales with Q: 2H (Q = 2.86 mb) has C_Q = 2.86/−40.1 of the 7Li value
  assert.ok(Math.abs(quadrupolarCouplingHz(1, 2.86) / quadrupolarCouplingHz(1) - 2.86 / -40.1) < 1e-15);
  const { cqHz, eta } = cqAndEta(new Float64Array([-0.2, 0, 0, 0, -0.8, 0, 0, 0, 1, 0.5, 0, 0, 0, 0.5, 0, 0, 0, -1]));
  assert.ok(Math.abs(cqHz[0] - cqHzPerVPerA2()) < 1e-9 && Math.abs(cqHz[1] + cqHzPerVPerA2()) < 1e-9);
  assert.ok(Math.abs(eta[0] - 0.6) < 1e-14 && eta[1] === 0);
});

test('unit conversions round trip: V/Å² ↔ atomic units ↔ V/m²', () => {
  for (const v of [1, -0.37, 123.4]) {
    assert.ok(Math.abs(auToVPerA2(vPerA2ToAu(v)) - v) < 1e-13 * Math.abs(v));
    assert.ok(Math.abs(vPerM2ToVPerA2(vPerA2ToVPerM2(v)) - v) < 1e-13 * Math.abs(v));
  }
  assert.ok(Math.abs(vPerA2ToVPerM2(auToVPerA2(1)) - 9.71736e21) < 1e8);
});

test('symmetric eigen-decomposition reconstructs matrices with degenerate eigenvalues', () => {
  const u = rng(14);
  for (const vals of [[1, 1, -2], [0, 0, 0], [3, -1, -2], [1e-9, 1e-9, -2e-9]]) {
    const R = randomRotation(u);
    const V = tensorFromPrincipal(vals[0], vals[1], vals[2], R);
    const { values, vectors } = symmetricEigen(V);
    assert.ok(maxDiff(tensorFromPrincipal(values[0], values[1], values[2], vectors), V) < 1e-14 + 1e-13 * Math.max(...vals.map(Math.abs)));
  }
});

test('validation: asymmetric or non-traceless tensors are reported, symmetrised only when asked', () => {
  const good = new Float64Array([-0.2, 0.1, 0, 0.1, -0.8, 0, 0, 0, 1.0]);
  assert.ok(maxDiff(validateTensors(good), good) < 1e-15);
  const noisy = Float64Array.from(good); noisy[0] += 1e-6; noisy[1] += 1e-6;
  const cleaned = validateTensors(noisy);
  assert.ok(Math.abs(cleaned[0] + cleaned[4] + cleaned[8]) < 1e-15 && cleaned[1] === cleaned[3]);
  const asym = Float64Array.from(good); asym[1] = 0.5;
  assert.throws(() => validateTensors(asym, { source: 'frame 3' }), (e: Error) => e instanceof InputError && /tensor 0 in frame 3 is not symmetric/.test(e.message));
  const traced = Float64Array.from(good); traced[8] = 2;
  assert.throws(() => validateTensors(traced), (e: Error) => e instanceof InputError && /not traceless/.test(e.message));
  const fixed = validateTensors(traced, { symmetrise: true });
  assert.ok(Math.abs(fixed[0] + fixed[4] + fixed[8]) < 1e-15);
  assert.throws(() => validateTensors([1, 2, 3]), InputError);
  assert.throws(() => validateTensors([NaN, 0, 0, 0, 0, 0, 0, 0, 0]), InputError);
});
