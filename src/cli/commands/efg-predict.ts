/** `ufnmr efg predict`: EFG series of every Li in every frame of a trajectory, streamed into a .npy file. */
import type { Command } from '../command';
import { loadEfgModel } from '../../efg/artifacts';
import { predictTrajectoryParallel } from '../../efg/predict';
import { intOption, requiredString } from './efg-common';

const command: Command = {
  name: 'efg predict',
  summary: 'predict EFG tensors of every Li in a trajectory (frames × nLi × 3 × 3 .npy, V/Å²)',
  usage: 'efg predict --model M --trajectory T --output series.npy [--workers N] [--type-map Li,P,S] [--format F] [--max-frames N] [--json]',
  help: `
Evaluates a trained EFG model (folder with model.json + weights.bin, e.g. data/models/efg-lps) on every frame
of a trajectory (extended XYZ, LAMMPS dump, ufnmr .uftraj) and writes the series as float64 .npy shaped
frames × nCentres × 3 × 3 (V/Å²), frame by frame (bounded memory; the file appears only when complete).
The series feeds \`ufnmr acf --tensors series.npy\`. Inference is float64 pure JavaScript.
  --workers N         worker threads evaluating frames in parallel (default 1; 2 on a 2-core machine)
  --type-map Li,P,S   elements of LAMMPS atom types 1, 2, 3 … (dumps without an element column)
  --format F          extxyz | lammps-dump | uftraj | … (default: from the file name)`,
  options: { model: { type: 'string' }, trajectory: { type: 'string' }, output: { type: 'string' }, 'type-map': { type: 'string' }, format: { type: 'string' }, 'max-frames': { type: 'string' }, workers: { type: 'string' } },
  async run(args, io) {
    const model = loadEfgModel(requiredString(args.values.model, 'model'));
    const typeMap = typeof args.values['type-map'] === 'string' ? args.values['type-map'].split(',').map((s) => s.trim()) : undefined;
    const maxFrames = args.values['max-frames'] === undefined ? undefined : intOption(args.values['max-frames'], 'max-frames', 0);
    const workers = intOption(args.values.workers, 'workers', 1);
    const r = await predictTrajectoryParallel(model.params, requiredString(args.values.trajectory, 'trajectory'), requiredString(args.values.output, 'output'), {
      typeMap, format: args.values.format as string | undefined, maxFrames, workers,
      onProgress: io.json ? undefined : (p) => io.stderr(`\r${p.label}: ${p.done} frames (${(p.rate ?? 0).toFixed(0)} ${p.unit})`),
    });
    if (!io.json && r.frames >= 1000) io.stderr('\n');
    return { ...r, units: 'V/A^2', shape: [r.frames, r.centres, 3, 3], model: model.path, centre: model.params.settings.centre, workers };
  },
  format(r) {
    return `wrote ${r.output}: ${(r.shape as number[]).join(' × ')} float64 (V/Å²), ${(r.environmentsPerSecond as number).toFixed(0)} ${r.centre} environments/s`;
  },
};
export default command;
