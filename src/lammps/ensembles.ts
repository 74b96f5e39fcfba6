/**
 * md.json stages → LAMMPS fixes (one `run` per stage; ramps via Tstart/Tstop and Pstart/Pstop, which LAMMPS
 * ramps linearly over a run exactly as ufnmr ramps over a stage). The mapping, and what is exact:
 *
 * | ufnmr | LAMMPS | exact? |
 * |---|---|---|
 * | nve (velocity Verlet) | fix nve | same integrator |
 * | langevin, τ = 1/γ (BAOAB) | fix langevin T0 T1 τ seed tally yes + fix nve | same friction and temperature; LAMMPS integrates the Langevin forces inside velocity Verlet, not BAOAB (equal in the dt → 0 limit; configurational sampling differs at O(dt²)) |
 * | bussi, τ | fix temp/csvr T0 T1 τ seed + fix nve | same stochastic rescaling (Bussi 2007); applied once per step (ufnmr: half steps at both ends) |
 * | nose-hoover, τ, chain M | fix nvt temp T0 T1 τ tchain M | same masses Q₁ = N_f k_B T τ², Q_j = k_B T τ² (LAMMPS fix_nh uses t_period = Tdamp); LAMMPS has no Suzuki–Yoshida weights (ufnmr order 3) |
 * | c-rescale, τ_p, β_T (default barostat "berendsen") | fix press/berendsen iso/aniso P0 P1 τ_p modulus 1/β_T | the deterministic part of c-rescale exactly (d ln V = −(β_T/τ_p)(P0 − P) dt; aniso per axis with 1/3); no volume noise, so ⟨V⟩ matches but volume fluctuations are suppressed; every step instead of every N |
 * | c-rescale (barostat "nose-hoover") | fix npt / fix nph iso/aniso P0 P1 τ_p (+ thermostat fix) | correct NPT ensemble (MTK), but inertial cell dynamics with period τ_p; β_T unused |
 *
 * Damping times go to ps, pressures to bar (metal units). Seeds: LAMMPS's generators differ from ufnmr's,
 * so stochastic runs agree in distribution only.
 */
import { InputError } from '../core/errors';
import type { StageSpec } from '../md/config';
import { barFromGPa, lammpsSeed, modulusBarFromCompressibility, num, psFromFs } from './metal';

/** How the c-rescale barostat is expressed in LAMMPS (see the table above). */
export type BarostatMapping = 'berendsen' | 'nose-hoover';

/** What the stage mapping needs to know about the run. */
export interface StageContext {
  /** md.json seed (stage k's LAMMPS seeds derive from it and k). */
  seed: number;
  barostat: BarostatMapping;
  /** The LAMMPS box has tilt factors. */
  triclinic: boolean;
  /** The structure was rotated into the LAMMPS frame (Cartesian axes differ from ufnmr's). */
  rotated: boolean;
}

/** The fixes of one stage: commands before its `run`, and the fix IDs to remove after it. */
export interface StageFixes {
  commands: string[][];
  fixIds: string[];
  /** Approximations worth telling the user (deduplicated by the caller). */
  notes: string[];
}

/** Fixes for stage `k` of a config; `where` locates the stage in messages (e.g. "md.json: stages[2]"). */
export function stageFixes(stage: StageSpec, k: number, ctx: StageContext, where: string): StageFixes {
  if (stage.ensemble === 'nve') return { commands: [['fix', 'integrate', 'all', 'nve']], fixIds: ['integrate'], notes: [] };
  const th = stage.thermostat;
  const [t0, t1] = stage.temperatureK ?? [NaN, NaN];
  if (!th || !Number.isFinite(t0) || !Number.isFinite(t1)) throw new InputError(`${where}: an ${stage.ensemble} stage needs temperatureK and a thermostat`);
  if (!['langevin', 'bussi', 'nose-hoover'].includes(th.type)) throw new InputError(`${where}.thermostat.type: ${JSON.stringify(th.type)} has no LAMMPS mapping (known: langevin, bussi, nose-hoover)`);
  if (stage.barostat && stage.barostat.type !== 'c-rescale') throw new InputError(`${where}.barostat.type: ${JSON.stringify(stage.barostat.type)} has no LAMMPS mapping (known: c-rescale)`);
  const seed = String(lammpsSeed(ctx.seed, k));
  const tdamp = num(psFromFs(th.tauFs));
  const notes: string[] = [];
  const commands: string[][] = [];
  const fixIds: string[] = [];
  const add = (id: string, ...rest: string[]) => { commands.push(['fix', id, 'all', ...rest]); fixIds.push(id); };

  const b = stage.barostat;
  let pressureArgs: string[] = [];
  if (stage.ensemble === 'npt') {
    if (!b) throw new InputError(`${where}: an npt stage needs a barostat`);
    if (b.mode === 'anisotropic' && ctx.rotated)
      throw new InputError(`${where}.barostat.mode: "anisotropic" scales ufnmr's Cartesian axes, but the cell had to be rotated into LAMMPS's lower-triangular frame, where the axes differ; use "isotropic", or give the cell with a along x and b in the xy plane`);
    if (ctx.barostat === 'berendsen' && ctx.triclinic)
      throw new InputError(`${where}.barostat: LAMMPS fix press/berendsen cannot change a triclinic box; export with the "nose-hoover" barostat mapping (ufnmr lammps export --barostat nose-hoover) for fix npt/nph`);
    pressureArgs = [b.mode === 'anisotropic' ? 'aniso' : 'iso', num(barFromGPa(b.pressureGPa[0])), num(barFromGPa(b.pressureGPa[1])), num(psFromFs(b.tauFs))];
  }
  const mtk = stage.ensemble === 'npt' && ctx.barostat === 'nose-hoover';

  if (th.type === 'nose-hoover') {
    if (t0 <= 0 || t1 <= 0) throw new InputError(`${where}.temperatureK: LAMMPS fix nvt/npt needs a target temperature above 0 K, got ${t0 === t1 ? t0 : `[${t0}, ${t1}]`}`);
    const chain = ['tchain', String(th.chainLength ?? 3)];
    if (mtk) add('integrate', 'npt', 'temp', num(t0), num(t1), tdamp, ...pressureArgs, ...chain);
    else add('integrate', 'nvt', 'temp', num(t0), num(t1), tdamp, ...chain);
  } else {
    if (mtk) add('integrate', 'nph', ...pressureArgs);
    else add('integrate', 'nve');
    if (th.type === 'langevin') {
      add('thermostat', 'langevin', num(t0), num(t1), tdamp, seed, 'tally', 'yes');
      notes.push('Langevin: LAMMPS fix langevin + fix nve adds friction and noise forces inside velocity Verlet; ufnmr uses BAOAB. Same friction γ = 1/τ and target temperature, sampling equal up to O(dt²)');
    } else {
      add('thermostat', 'temp/csvr', num(t0), num(t1), tdamp, seed);
      notes.push('Bussi: fix temp/csvr (EXTRA-FIX package) is the same stochastic velocity rescaling, applied once per step (ufnmr: over dt/2 at both ends of the step)');
    }
  }
  if (th.type === 'nose-hoover') notes.push('Nosé–Hoover chains: same thermostat masses (LAMMPS Tdamp = ufnmr tauFs); LAMMPS integrates the chain without Suzuki–Yoshida weights');

  if (stage.ensemble === 'npt' && b) {
    if (ctx.barostat === 'berendsen') {
      add('barostat', 'press/berendsen', ...pressureArgs, 'modulus', num(modulusBarFromCompressibility(b.compressibilityPerGPa)));
      notes.push('C-rescale → fix press/berendsen: the same deterministic volume relaxation (τ_p, modulus = 1/β_T) without the c-rescale noise term, so mean volumes agree but volume fluctuations are suppressed; applied every step instead of every barostat.every steps');
    } else {
      notes.push('C-rescale → fix npt/nph (MTK): correct NPT ensemble with inertial cell dynamics of period Pdamp = τ_p; the compressibility is not used');
    }
  }
  return { commands, fixIds, notes };
}
