/** Worker thread of {@link predictTrajectoryParallel}: evaluates frames sent by the main thread with one EfgPredictor. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Pbc } from '../core/cell';
import { EfgPredictor } from './predict';
import type { EfgModelParams } from './model';

const { params, species } = workerData as { params: EfgModelParams; species: string[] };
const predictor = new EfgPredictor(params);
parentPort!.on('message', (m: { k: number; positions: Float64Array; cell: Float64Array; pbc: Pbc; where: string }) => {
  try {
    const r = predictor.predict({ species, positions: m.positions, cell: m.cell, pbc: m.pbc }, m.where);
    const tensors = Float64Array.from(r.tensors);
    parentPort!.postMessage({ k: m.k, tensors }, [tensors.buffer]);
  } catch (e) {
    parentPort!.postMessage({ k: m.k, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
