/** `ufnmr hops`: Li hop rates counted in a trajectory (crystalline sites from a CIF, or amorphous analysis). */
import type { CliArgs, CliIO, Command } from '../command';
import { InputError } from '../../core/errors';
import { isElement } from '../../core/elements';
import { analyzeAmorphousHops, analyzeSiteHops, type TrajectoryHopResult } from '../../dynamics/hopsFromTrajectory';
import { numberOption, fitWindowOption } from './acf';
import { typeMapOption } from './msd';

function numberList(v: unknown, name: string): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = String(v).split(',').map((s) => Number(s));
  if (xs.length === 0 || xs.some((x) => !(x > 0 && Number.isFinite(x)))) throw new InputError(`--${name}: expected positive numbers separated by commas, got ${JSON.stringify(v)}`);
  return xs;
}

/** The JSON shape of a hop analysis (events only on request). */
export function hopReport(r: TrajectoryHopResult, withEvents: boolean): Record<string, unknown> {
  const h = r.hops, sites = r.sites, atoms = r.selection.atoms;
  const typeName = (s: number) => sites.types[sites.typeOf[s]];
  return {
    mode: r.mode, nIons: h.nIons, nFrames: h.nFrames, dtFs: r.dtFs, durationPs: h.durationPs, rInA: h.rInA,
    sites: { n: sites.typeOf.length, types: Object.fromEntries(sites.types.map((t, k) => [t, sites.typeOf.filter((x) => x === k).length])), minSeparationA: r.minSiteSeparationA },
    nHops: h.nHops, ratePerPs: h.ratePerPs, rateErrPerPs: h.rateErrPerPs, rateHz: h.rateHz,
    meanJumpLengthA: h.meanJumpLengthA, backHopFraction: h.backHopFraction, insideFraction: h.insideFraction, unassignedFraction: h.unassignedFraction,
    perIon: { atom: Array.from(atoms), hops: Array.from(h.perIon.hops), ratePerPs: Array.from(h.perIon.ratePerPs) },
    siteTypes: h.siteTypes, directions: h.directions,
    rInSensitivity: r.rInSensitivity,
    ...(r.windowed ? { windowed: r.windowed } : {}),
    ...(r.densitySensitivity ? { densitySensitivity: r.densitySensitivity } : {}),
    ...(r.msd ? { diffusionCheck: r.msd } : {}),
    ...(withEvents ? {
      events: {
        timePs: Array.from(h.events.timePs), atom: Array.from(h.events.ion, (i) => atoms[i]), fromSite: Array.from(h.events.fromSite), toSite: Array.from(h.events.toSite),
        fromType: Array.from(h.events.fromSite, typeName), toType: Array.from(h.events.toSite, typeName), lengthA: Array.from(h.events.lengthA),
      },
    } : {}),
  };
}

const command: Command = {
  name: 'hops',
  summary: 'Li hop rates from a trajectory: site hops (site CIF, hysteresis) or amorphous analysis, with Γ = 6D/a²',
  usage: 'hops --trajectory T (--sites sites.cif | --amorphous) [--r-in Å] [--dt-fs X] [--type-map …] [--json]',
  help: `
Streams a trajectory and counts Li hops. With --sites, every Li is assigned to the sites of a CIF (expanded by
symmetry, tiled onto the trajectory's supercell; site types are the CIF labels, e.g. 8d/4b/4c) with a
hysteresis rule: it belongs to a site once within r_in of it and keeps it until it enters another one.
With --amorphous, sites are the peaks of the time-averaged Li density (second pass over the file), and hops
are also counted from window-averaged displacements above thresholds. Rates are per ion: Γ = hops/(N·t).
The MSD gives D and Γ = 6D/a² (a: mean jump length) as a cross-check.
  --trajectory T          trajectory file (format from the name, or --format)
  --sites F               site CIF (e.g. data/structures/beta-Li3PS4_Li-sites_GEMDAT.cif)
  --amorphous             no site file: density-derived sites and windowed displacements
  --r-in A                capture radius, Å (default 0.9, at most 0.45 × the smallest site separation)
  --r-in-scan A,B,…       further capture radii whose rates are reported (sensitivity)
  --dt-fs X               time between frames, fs (required unless the file stores frame times)
  --element E             the hopping element (default Li)
  --type-map E,E,…        element of each LAMMPS/DeePMD atom type
  --format F              input format when the name does not tell
  --window-fs W           amorphous: averaging window, fs (default 100)
  --thresholds A,B,…      amorphous: displacement thresholds, Å (default 1.5,2,2.5)
  --voxel-a V             amorphous: density voxel, Å (default 0.2)
  --smoothing-a S         amorphous: density smoothing σ, Å (default 0.3)
  --min-separation-a D    amorphous: smallest site separation, Å (default 1.2)
  --min-density-ratio R   amorphous: a site's density over the mean Li density (default 3)
  --no-msd                skip the MSD / Γ = 6D/a² check
  --msd-max-lag-ps T      largest MSD lag (default 4096 frames or half the run)
  --fit-window a:b        MSD fit window, ps
  --events                list every hop (time, atom, from/to site and type, length)
Output (--json): {mode, nIons, nFrames, dtFs, durationPs, rInA, sites, nHops, ratePerPs, rateErrPerPs, rateHz,
perIon, siteTypes[{type, occupancy, escapeRatePerPs, residence}], directions[{from, to, hops, ratePerIonPerPs,
escapeRatePerPs}], rInSensitivity, windowed?, densitySensitivity?, diffusionCheck {diffusion, gammaFromDPerPs}, events?}.`,
  options: {
    trajectory: { type: 'string' },
    sites: { type: 'string' },
    amorphous: { type: 'boolean' },
    'r-in': { type: 'string' },
    'r-in-scan': { type: 'string' },
    'dt-fs': { type: 'string' },
    element: { type: 'string' },
    'type-map': { type: 'string' },
    format: { type: 'string' },
    'window-fs': { type: 'string' },
    thresholds: { type: 'string' },
    'voxel-a': { type: 'string' },
    'smoothing-a': { type: 'string' },
    'min-separation-a': { type: 'string' },
    'min-density-ratio': { type: 'string' },
    'no-msd': { type: 'boolean' },
    'msd-max-lag-ps': { type: 'string' },
    'fit-window': { type: 'string' },
    events: { type: 'boolean' },
  },
  async run(args: CliArgs, io: CliIO) {
    const v = args.values;
    const path = v.trajectory;
    if (typeof path !== 'string') throw new InputError('hops: --trajectory FILE is required');
    const sites = typeof v.sites === 'string' ? v.sites : undefined;
    if (!sites && !v.amorphous) throw new InputError('hops: give --sites sites.cif (crystalline) or --amorphous');
    if (sites && v.amorphous) throw new InputError('hops: --sites and --amorphous exclude each other');
    const element = typeof v.element === 'string' ? v.element : 'Li';
    if (!isElement(element)) throw new InputError(`--element: ${JSON.stringify(element)} is not an element symbol`);
    const common = {
      element, dtFs: numberOption(v['dt-fs'], 'dt-fs'), format: typeof v.format === 'string' ? v.format : undefined, typeMap: typeMapOption(v['type-map']),
      rInA: numberOption(v['r-in'], 'r-in'), rInScanA: numberList(v['r-in-scan'], 'r-in-scan'), msd: v['no-msd'] !== true,
      msdMaxLagPs: numberOption(v['msd-max-lag-ps'], 'msd-max-lag-ps'),
      msdFitWindowPs: typeof v['fit-window'] === 'string' ? fitWindowOption(v['fit-window']) : undefined,
      progress: io.json ? undefined : (f: number) => io.stderr(`hops: ${f} frames\n`),
    };
    const r = sites ? analyzeSiteHops(path, sites, common) : analyzeAmorphousHops(path, {
      ...common, windowFs: numberOption(v['window-fs'], 'window-fs'), thresholdsA: numberList(v.thresholds, 'thresholds'), voxelA: numberOption(v['voxel-a'], 'voxel-a'),
      density: { smoothingA: numberOption(v['smoothing-a'], 'smoothing-a'), minSeparationA: numberOption(v['min-separation-a'], 'min-separation-a'), minDensityRatio: numberOption(v['min-density-ratio'], 'min-density-ratio') },
    });
    return { trajectory: path, ...(sites ? { sitesFile: sites } : {}), ...hopReport(r, v.events === true) };
  },
  format(result) {
    const lines = [`${result.mode}: ${result.nIons} ions, ${result.nFrames} frames (${(result.durationPs as number).toFixed(2)} ps), r_in ${result.rInA} Å`,
      `${result.nHops} hops: Γ = ${(result.ratePerPs as number).toExponential(4)} ± ${(result.rateErrPerPs as number).toExponential(2)} 1/ps = ${(result.rateHz as number).toExponential(4)} Hz, mean jump ${(result.meanJumpLengthA as number).toFixed(3)} Å`];
    for (const t of result.siteTypes as Record<string, unknown>[]) lines.push(`  ${String(t.type).padEnd(6)} occupancy ${(t.occupancy as number).toFixed(3)}, escape rate ${(t.escapeRatePerPs as number).toExponential(3)} 1/ps`);
    for (const d of result.directions as Record<string, unknown>[]) lines.push(`  ${d.from}→${d.to}: ${d.hops} hops, ${(d.ratePerIonPerPs as number).toExponential(3)} 1/ps per ion`);
    for (const s of result.rInSensitivity as Record<string, number>[]) lines.push(`  r_in ${s.rInA} Å: ${s.nHops} hops, Γ = ${s.ratePerPs.toExponential(3)} 1/ps`);
    const w = result.windowed as { windowPs: number; thresholds: { thresholdA: number; ratePerPs: number }[] } | undefined;
    if (w) for (const t of w.thresholds) lines.push(`  windowed (${w.windowPs} ps) > ${t.thresholdA} Å: Γ = ${t.ratePerPs.toExponential(3)} 1/ps`);
    const d = result.diffusionCheck as { gammaFromDPerPs?: number; error?: string; diffusion?: { dA2PerPs: number } } | undefined;
    if (d?.gammaFromDPerPs !== undefined) lines.push(`  D = ${d.diffusion!.dA2PerPs.toExponential(4)} Å²/ps → Γ = 6D/a² = ${d.gammaFromDPerPs.toExponential(4)} 1/ps`);
    else if (d?.error) lines.push(`  no Γ from D: ${d.error}`);
    return lines.join('\n');
  },
};

export default command;
