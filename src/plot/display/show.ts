/** `show(x)`: one call that displays a Vega-Lite spec, a table/DataFrame or a Structure appropriately. */
import type { Structure } from '../../core/structure';
import type { VlSpec } from '../specs/common';
import { showChart } from './chart';
import { showStructure } from './structureView';
import { TableLike, showTable } from './table';

/** True for objects that look like a Vega-Lite spec (a $schema of vega-lite, or mark/layer/concat keys). */
export function isVegaLiteSpec(x: unknown): x is VlSpec {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.$schema === 'string') return o.$schema.includes('vega-lite');
  return ['mark', 'layer', 'vconcat', 'hconcat', 'concat', 'facet', 'repeat'].some((k) => k in o);
}

function isStructure(x: unknown): x is Structure {
  const o = x as Partial<Structure> | null;
  return !!o && Array.isArray(o.species) && o.positions instanceof Float64Array && o.cell instanceof Float64Array;
}

/** Displays a chart spec (async: rendering), a Structure, or a table (DataFrame, rows, columns). */
export async function show(x: VlSpec | Structure | TableLike): Promise<void> {
  if (isVegaLiteSpec(x)) return showChart(x);
  if (isStructure(x)) return showStructure(x);
  return showTable(x as TableLike);
}
