/** Locations of the bundled DejaVu font files (npm dejavu-fonts-ttf) used by PNG/PDF rendering. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string[] | undefined;

/** Absolute paths of the DejaVu Sans TTF files (regular, bold, oblique, bold oblique); throws if missing. */
export function dejavuFontFiles(): string[] {
  if (cached) return cached;
  let dir: string;
  try {
    dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  } catch {
    throw new Error('the npm package dejavu-fonts-ttf is not installed (run npm ci): figures need its DejaVu Sans font');
  }
  const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => join(dir, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`font files missing: ${missing.join(', ')}`);
  cached = files;
  return files;
}
