/** Writes every example figure as SVG/PNG/PDF into a folder: node --import tsx test/plot/gallery.ts OUTDIR */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveFigure } from '../../src/plot';
import { exampleSpecs } from './examples';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'gallery';
  mkdirSync(dir, { recursive: true });
  for (const [name, spec] of Object.entries(exampleSpecs())) {
    const out = await saveFigure(spec, join(dir, name));
    console.log(Object.values(out).join('  '));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
