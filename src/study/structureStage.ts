/**
 * Stage "structure": the starting structure of every temperature. Crystalline: the CIF cell tiled to the
 * supercell and relaxed with FIRE (positions and, if asked, the cell at a target pressure). Amorphous: a
 * melt-quench MD run of the tiled cell (heat → melt → quench → anneal → NPT) whose final frame is the glass;
 * its density is reported against the experimental Li3PS4 glass density.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellParameters, volume } from '../core/cell';
import { density, formula, natoms, type Structure } from '../core/structure';
import { writeFileAtomic } from '../io/atomic';
import { writeStructure, readStructure } from '../io/formats';
import { parseMDConfig } from '../md/config';
import { fire } from '../md/minimize/fire';
import { LI3PS4_GLASS_DENSITY_G_CM3, potentialFromConfig, structureFromConfig } from '../md/run';
import type { StudyConfig } from './config';
import { meltQuenchConfigObject } from './config';
import { runMdJob, type MdJobOptions } from './mdJob';
import { shortestDistances } from './contacts';

/** Result of the structure stage (JSON). */
export interface StructureResult {
  natoms: number;
  formula: string;
  supercell: [number, number, number];
  /** Cell lengths (Å) and angles (°) of the final structure, and per unit cell (lengths / supercell). */
  cellParameters: number[];
  unitCellLengthsA: number[];
  volumeA3: number;
  densityGCm3: number;
  /** Shortest distance per element pair (Å): unphysical contacts (e.g. S–S < 1.9 Å) show a bad structure. */
  shortestDistancesA: Record<string, number>;
  relax?: { converged: boolean; steps: number; energyPerAtomEv: number; fmaxEvPerA: number; stressGPa: number[]; initialCellParameters: number[] };
  meltQuench?: { densityGCm3: number; experimentalGlassGCm3: [number, number]; stages: unknown; nsPerDay: number; wallS: number };
}

function describe(s: Structure, reps: [number, number, number]): Omit<StructureResult, 'relax' | 'meltQuench'> {
  const p = cellParameters(s.cell);
  return {
    natoms: natoms(s), formula: formula(s), supercell: reps, cellParameters: p, unitCellLengthsA: [p[0] / reps[0], p[1] / reps[1], p[2] / reps[2]],
    volumeA3: volume(s.cell), densityGCm3: density(s), shortestDistancesA: shortestDistances(s),
  };
}

/** A minimal md.json object that loads the study's structure (tiled) and potential. */
function loaderConfig(cfg: StudyConfig) {
  return parseMDConfig({ structure: cfg.structure.file, supercell: cfg.structure.supercell, potential: cfg.potential, masses: cfg.masses, timestepFs: cfg.timestepFs, stages: [{ steps: 0, ensemble: 'nve' }] }, cfg.file);
}

/** Tiles and relaxes the crystalline cell; writes `initial.xyz` into `dir`. */
export function prepareCrystal(cfg: StudyConfig, dir: string, log: (t: string) => void): StructureResult {
  const md = loaderConfig(cfg);
  const s = structureFromConfig(md);
  const initial = cellParameters(s.cell);
  let relax: StructureResult['relax'];
  const r = cfg.structure.relax;
  if (r) {
    const calc = potentialFromConfig(md).bind(s.species, s.pbc);
    log(`structure: FIRE relaxation of ${natoms(s)} atoms (fmax ${r.fmaxEvPerA} eV/Å, cell ${String(r.cell)})\n`);
    const f = fire(calc, s.positions, s.cell, { fmax: r.fmaxEvPerA, maxSteps: r.maxSteps, cell: r.cell, pressureGPa: r.pressureGPa });
    s.positions.set(f.positions);
    s.cell.set(f.cell);
    const sMax = Math.max(...f.stressGPa.map(Math.abs));
    log(`structure: FIRE ${f.converged ? 'converged' : 'stopped unconverged'} after ${f.steps} steps: fmax ${f.fmax.toExponential(2)} eV/Å, largest stress component ${sMax.toFixed(3)} GPa\n`);
    relax = { converged: f.converged, steps: f.steps, energyPerAtomEv: f.energy / natoms(s), fmaxEvPerA: f.fmax, stressGPa: f.stressGPa, initialCellParameters: initial };
  }
  writeStructure(join(dir, 'initial.xyz'), s);
  return { ...describe(s, cfg.structure.supercell), relax };
}

/** Runs (or resumes) the melt-quench in `dir/melt-quench` and copies its final frame to `dir/initial.xyz`. */
export async function prepareGlass(cfg: StudyConfig, dir: string, o: MdJobOptions): Promise<StructureResult> {
  const mqDir = join(dir, 'melt-quench');
  const r = await runMdJob(mqDir, meltQuenchConfigObject(cfg, '.'), o);
  writeFileAtomic(join(dir, 'initial.xyz'), readFileSync(join(mqDir, 'final.xyz')));
  const s = readStructure(join(dir, 'initial.xyz'));
  const d = r.density as { simulatedGCm3: number } | undefined;
  return {
    ...describe(s, cfg.structure.supercell),
    meltQuench: { densityGCm3: d?.simulatedGCm3 ?? density(s), experimentalGlassGCm3: LI3PS4_GLASS_DENSITY_G_CM3, stages: r.stages, nsPerDay: r.nsPerDay as number, wallS: r.wallS as number },
  };
}
