/**
 * A tiny crystalline study for tests: the ordered β cell tiled 1×1×2 (64 atoms, 24 Li), a Lennard-Jones
 * stand-in potential (pair minima near the β bond lengths: P–S 2.05 Å, Li–S 2.45 Å; no physics intended, it only
 * keeps the cell together for a few hundred steps at low temperature), 2 temperatures, 100 + 320 MD steps.
 */
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Lennard-Jones pairs (eV, Å) for Li–P–S that hold the β cell together briefly. */
export const LPS_LJ = {
  lennardJones: {
    pairs: {
      'P-S': { epsilonEv: 1.0, sigmaA: 1.83, cutoffA: 5.0 },
      'Li-S': { epsilonEv: 0.2, sigmaA: 2.18, cutoffA: 5.0 },
      'S-S': { epsilonEv: 0.05, sigmaA: 2.99, cutoffA: 5.0 },
      'Li-P': { epsilonEv: 0.02, sigmaA: 2.6, cutoffA: 5.0 },
      'Li-Li': { epsilonEv: 0.01, sigmaA: 2.6, cutoffA: 5.0 },
      'P-P': { epsilonEv: 0.01, sigmaA: 4.0, cutoffA: 5.0 },
    },
    shift: true,
  },
};

/** The tiny study config (plain JSON object) writing to `outputDirectory`. */
export function tinyStudyConfig(outputDirectory: string): Record<string, any> {
  return {
    name: 'tiny-beta', system: 'crystalline', potential: LPS_LJ,
    efgModel: join(ROOT, 'data/models/efg-lps'), outputDirectory, threads: 1, seed: 3, timestepFs: 1,
    structure: { file: join(ROOT, 'data/structures/beta-Li3PS4_ordered_8d4b_Pnma_from-Chen2025-frame0.cif'), supercell: [1, 1, 2], relax: { fmaxEvPerA: 0.05, maxSteps: 100 } },
    temperaturesK: [150, 250],
    equilibration: { steps: 100, thermostat: { type: 'bussi', tauFs: 20 } },
    production: { steps: 320, ensemble: 'nvt', thermostat: { type: 'bussi', tauFs: 200 }, frameEverySteps: 4, checkpointEverySteps: 160 },
    nmr: { coarseFs: 4, maxLagPs: 0.2, bootstrap: 8 },
    hops: { sites: join(ROOT, 'data/structures/beta-Li3PS4_Li-sites_GEMDAT.cif') },
    msd: { maxLagPs: 0.08 },
    figures: { formats: ['svg'] },
  };
}
