/** `ufnmr convert`: structures and trajectories from one file format to another (streaming). */
import type { CliArgs, Command } from '../command';
import { InputError } from '../../core/errors';
import { isElement } from '../../core/elements';
import type { Structure } from '../../core/structure';
import { FORMATS, detectFormat, formatByName, readFrames, writeFrames } from '../../io/formats';
import { parseFrameSlice } from '../../io/frame-slice';

function typeMapOption(v: unknown): string[] | undefined {
  if (typeof v !== 'string') return undefined;
  const els = v.split(',').map((x) => x.trim());
  for (const e of els) if (!isElement(e)) throw new InputError(`--type-map: ${JSON.stringify(e)} is not an element symbol (expected e.g. Li,P,S)`);
  return els;
}

const command: Command = {
  name: 'convert',
  summary: 'convert structures and trajectories between file formats (extxyz, POSCAR, CIF, LAMMPS data/dump, DeePMD, …)',
  usage: 'convert IN OUT [--from F] [--to F] [--frames a:b:s] [--type-map Li,P,S] [--direct] [--set-size N] [--json]',
  help: `
Reads IN frame by frame and writes OUT (atomically: OUT appears only when complete). Formats come from the
file names or --from/--to:
${FORMATS.map((f) => `  ${f.name.padEnd(12)} ${f.description}`).join('\n')}
Writable: ${FORMATS.filter((f) => f.write).map((f) => f.name).join(', ')}. POSCAR, CIF and LAMMPS data hold one structure: select
one frame with --frames (e.g. --frames=-1 for the last; negative values need the = form). Writing LAMMPS files rotates the structure into LAMMPS's
lower-triangular cell convention (positions, forces and velocities alike).
  --from F          input format (default: from the name of IN)
  --to F            output format (default: from the name of OUT)
  --frames a:b:s    frames to convert, Python slice semantics (k alone = frame k; negative counts from the end)
  --type-map E,E,…  element of each atom type: LAMMPS types 1,2,… (read and write), DeePMD type_map,
                    species blocks of VASP 4 POSCARs and OUTCARs without TITEL lines
  --direct          POSCAR output in fractional (Direct) coordinates (default Cartesian, bit-exact)
  --set-size N      DeePMD output: frames per set.NNN folder (default 5000)
Output (--json): {input, output, from, to, frames, natoms, formula}.`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    frames: { type: 'string' },
    'type-map': { type: 'string' },
    direct: { type: 'boolean' },
    'set-size': { type: 'string' },
  },
  positionals: [2, 2],
  async run(args: CliArgs) {
    const [input, output] = args.positionals;
    const v = args.values;
    const from = typeof v.from === 'string' ? formatByName(v.from) : detectFormat(input);
    const to = typeof v.to === 'string' ? formatByName(v.to) : detectFormat(output);
    const typeMap = typeMapOption(v['type-map']);
    const frames = typeof v.frames === 'string' ? parseFrameSlice(v.frames) : undefined;
    let setSize: number | undefined;
    if (typeof v['set-size'] === 'string') {
      setSize = Number(v['set-size']);
      if (!Number.isInteger(setSize) || setSize < 1) throw new InputError(`--set-size: expected a positive integer, got ${JSON.stringify(v['set-size'])}`);
    }
    let first: Structure | undefined;
    const source = readFrames(input, { format: from, typeMap, frames });
    const tap = (function* () {
      for (const s of source) { first ??= s; yield s; }
    })();
    const count = writeFrames(output, tap, { format: to, typeMap, direct: v.direct === true, setSize });
    const counts: Record<string, number> = {};
    for (const e of first?.species ?? []) counts[e] = (counts[e] ?? 0) + 1;
    return {
      input, output, from, to, frames: count, natoms: first?.species.length ?? 0,
      formula: Object.entries(counts).map(([e, n]) => `${e}${n}`).join(''),
    };
  },
  format(r) {
    return `wrote ${r.frames} frame(s) of ${r.formula} (${r.natoms} atoms) from ${r.input} (${r.from}) to ${r.output} (${r.to})`;
  },
};

export default command;
