/** Vega-Lite spec → SVG text, headless (vega's 'none' renderer; no browser or canvas needed). */
import { importEsm } from '../esm';
import type { VlSpec } from '../specs/common';
import { installTextMetrics } from './textMetrics';

interface VegaLiteModule { compile(spec: unknown): { spec: unknown } }
interface VegaView { runAsync(): Promise<unknown>; toSVG(scale?: number): Promise<string>; finalize(): void }
interface VegaModule {
  parse(spec: unknown, config?: unknown): unknown;
  View: new (runtime: unknown, opts: Record<string, unknown>) => VegaView;
  textMetrics?: { width: unknown };
}

/** Loads vega-lite (ESM-only) from CommonJS; see esm.ts. */
export function loadVegaLite(): Promise<VegaLiteModule> {
  return importEsm<VegaLiteModule>('vega-lite');
}

/** Loads vega (ESM-only) from CommonJS, measuring text with the bundled DejaVu metrics; see esm.ts. */
export async function loadVega(): Promise<VegaModule> {
  const vega = await importEsm<VegaModule>('vega');
  installTextMetrics(vega);
  return vega;
}

/** Compiles a Vega-Lite spec to a Vega spec (throws vega-lite's own error on invalid specs). */
export async function compileToVega(spec: VlSpec): Promise<Record<string, unknown>> {
  const vl = await loadVegaLite();
  return vl.compile(spec).spec as Record<string, unknown>;
}

/** Renders a Vega-Lite spec to a standalone SVG document (size in px as laid out by vega). */
export async function renderSvg(spec: VlSpec): Promise<string> {
  const vega = await loadVega();
  const vg = await compileToVega(spec);
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
