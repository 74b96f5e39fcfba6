/**
 * Reproduction of LAMMPS pair_style uf3 (external reference vectors, test/fixtures/ufp/README.md):
 * LAMMPS's own unit test (Nb, 64 atoms), the in.uf3.Nb example's first thermo line, and the Li–P–S
 * bench case (3 elements, 2+3-body) energy, every force and pressure at step 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModel, UF3Potential, parseUf3 } from '../../src/ufp';
import { readLammpsData, readLammpsDumpFrames, readExtxyzFrames } from '../../src/io';
import { volume } from '../../src/core/cell';
import { getFloatArray } from '../../src/core/structure';

const FIX = join(__dirname, '..', 'fixtures', 'ufp');

/** LAMMPS's metal-unit constants (update.cpp: force->boltz, force->nktv2p), older than CODATA 2018. */
const LAMMPS_BOLTZ = 8.617343e-5, LAMMPS_NKTV2P = 1.6021765e6;

/** Pressure (bar) as LAMMPS prints it: (dof·k_B·T + tr W)/(3V). */
function pressureBar(trW: number, n: number, T: number, V: number): number {
  return ((3 * n - 3) * LAMMPS_BOLTZ * T + trW) / (3 * V) * LAMMPS_NKTV2P;
}

test('LAMMPS unit test manybody-pair-uf3 (Nb.uf3, 64 atoms): energy, every force and the stress to 1e-8 relative', () => {
  const yaml = readFileSync(join(FIX, 'lammps_unittest_manybody-pair-uf3.yaml'), 'utf8');
  const refE = Number(/init_vdwl:\s*(\S+)/.exec(yaml)![1]);
  const refStress = yaml.split('init_stress:')[1].split('\n')[1].trim().split(/\s+/).map(Number);
  const refF = yaml.split('init_forces:')[1].split('\n').slice(1, 65).map((l) => l.trim().split(/\s+/).map(Number));
  const s = readLammpsData(join(FIX, 'lammps_unittest_data.manybody'), { typeMap: Array(8).fill('Nb') });
  assert.equal(s.species.length, 64);
  const pot = new UF3Potential(readModel(join(FIX, 'Nb.uf3')));
  const r = pot.bind(s.species, s.pbc).compute(s.positions, s.cell);
  assert.ok(Math.abs(r.energy - refE) <= 1e-8 * Math.abs(refE), `${r.energy} vs ${refE}`);
  const ids = getFloatArray(s, 'id');
  for (const row of refF) {
    const i = ids ? ids.indexOf(row[0]) : row[0] - 1;
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(r.forces[3 * i + k] - row[1 + k]) <= 1e-8 * Math.abs(row[1 + k]), `atom ${row[0]} component ${k}`);
  }
  // LAMMPS pair virial order: xx yy zz xy xz yz (eV)
  const W = r.virial;
  const mine = [W[0], W[4], W[8], W[1], W[2], W[5]];
  mine.forEach((v, q) => assert.ok(Math.abs(v - refStress[q]) <= 1e-8 * Math.abs(refStress[q]), `virial ${q}: ${v} vs ${refStress[q]}`));
});

test('LAMMPS example in.uf3.Nb (128-atom bcc Nb, a = 3.3005 Å): step-0 E_pair/atom and pressure of log.13May24', () => {
  const a = 3.3005, n = 4;
  const x: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
    x.push(i * a, j * a, k * a);
    x.push((i + 0.5) * a, (j + 0.5) * a, (k + 0.5) * a);
  }
  const cell = new Float64Array([n * a, 0, 0, 0, n * a, 0, 0, 0, n * a]);
  const species = Array(128).fill('Nb');
  const r = new UF3Potential(readModel(join(FIX, 'Nb.uf3'))).bind(species, [true, true, true]).compute(Float64Array.from(x), cell);
  // thermo line "0 300 -4.4256832 0 -4.3872081 90756.437" (norm yes)
  assert.ok(Math.abs(r.energy / 128 - -4.4256832) < 6e-8, `${r.energy / 128}`);
  const p = pressureBar(r.virial[0] + r.virial[4] + r.virial[8], 128, 300, volume(cell));
  assert.ok(Math.abs(p - 90756.437) < 6e-4, `${p} bar`); // printed to 8 digits
});

test('Li–P–S bench case (bench_lps.uf3, 768 atoms, 2+3-body): energy, every force and pressure as LAMMPS at step 0', () => {
  const model = parseUf3(readFileSync(join(FIX, 'bench_lps.uf3'), 'utf8'), 'bench_lps.uf3');
  assert.equal(model.threeBody.length, 18);
  const frame = readLammpsDumpFrames(join(FIX, 'nve_dump_step0.lammpstrj'), { typeMap: ['Li', 'P', 'S'] }).next().value!;
  const xyz = readExtxyzFrames(join(FIX, 'beta768_bench.xyz')).next().value!;
  assert.deepEqual(frame.species, xyz.species);
  const r = new UF3Potential(model).bind(frame.species, frame.pbc).compute(frame.positions, frame.cell);
  // nve_thermo.log step 0: PotEng -599.562217302, Press -52532.3414687 (T = 300 K)
  assert.ok(Math.abs(r.energy - -599.562217302) < 1e-9 * 600, `${r.energy}`);
  const F = getFloatArray(frame, 'forces', 3)!;
  let worst = 0;
  for (let q = 0; q < F.length; q++) worst = Math.max(worst, Math.abs(r.forces[q] - F[q]) / Math.max(Math.abs(F[q]), 1e-3));
  assert.ok(worst < 1e-8, `worst relative force error ${worst}`);
  const p = pressureBar(r.virial[0] + r.virial[4] + r.virial[8], 768, 300, volume(frame.cell));
  assert.ok(Math.abs(p - -52532.3414687) < 1e-8 * 52532, `${p} bar`);
  // the same structure from the extended XYZ gives the same energy
  const r2 = new UF3Potential(model).bind(xyz.species, xyz.pbc).compute(xyz.positions, xyz.cell);
  assert.ok(Math.abs(r2.energy - r.energy) < 1e-9);
});

test("uf3's tungsten models on W_test_5configs.xyz: errors against DFT of the size uf3 reports; 3-body counted once per unordered pair", () => {
  const frames = [...readExtxyzFrames(join(FIX, 'W_test_5configs.xyz'))];
  assert.equal(frames.length, 5);
  const errors = (pot: UF3Potential) => {
    let se = 0, sf = 0, nf = 0;
    for (const s of frames) {
      const r = pot.bind(s.species, s.pbc).compute(s.positions, s.cell);
      const n = s.species.length;
      const de = (r.energy - (s.info.energy as number)) / n;
      se += de * de;
      const F = getFloatArray(s, 'force', 3) ?? getFloatArray(s, 'forces', 3)!;
      for (let q = 0; q < 3 * n; q++) { sf += (r.forces[q] - F[q]) ** 2; nf++; }
    }
    return { e: 1000 * Math.sqrt(se / frames.length), f: Math.sqrt(sf / nf) };
  };
  const m23 = readModel(join(FIX, 'W_model_2and3.uf3.json'));
  const uf23 = errors(new UF3Potential(m23));
  const uf2 = errors(new UF3Potential(readModel(join(FIX, 'W_model_2.uf3.json'))));
  // published UF2,3 tungsten test errors: ~5 meV/atom, ~0.15 eV/Å (Xie et al. 2023); these MD frames are easier
  assert.ok(uf23.e < 6 && uf23.f < 0.06, JSON.stringify(uf23));
  assert.ok(uf2.e < 6 && uf2.f < 0.1, JSON.stringify(uf2));
  assert.ok(uf23.f < 0.7 * uf2.f, 'the 3-body term improves the forces');
  // counting each unordered {j,k} twice (doubling the 3-body term) would be clearly worse
  const doubled = { ...m23, threeBody: m23.threeBody.map((t) => ({ ...t, coefficients: t.coefficients.map((c) => 2 * c) })) };
  assert.ok(errors(new UF3Potential(doubled)).f > 1.5 * uf23.f);
});
