/**
 * Protocols expand into MD stages: temperature ladders, and melt-quench for amorphous structures
 * (heat → hold in the melt → quench at a set rate → anneal → NPT to the equilibrium density).
 */
import { InputError } from '../core/errors';
import { ConfigSection } from './configReader';
import type { StageSpec, BarostatSpec, ThermostatSpec } from './config';
import { parseBarostat, parseThermostat } from './config';

/** Stages of a protocol plus a JSON description of it. */
export interface ExpandedProtocol { stages: StageSpec[]; info: { type: string; [k: string]: unknown } }

/** Expands a protocol section into stages (timestep in fs converts rates into step counts). */
export function expandProtocol(p: ConfigSection, timestepFs: number): ExpandedProtocol {
  const type = p.string('type', { required: true, oneOf: ['ladder', 'melt-quench'] });
  return type === 'ladder' ? ladder(p) : meltQuench(p, timestepFs);
}

function barostatWithDefaultPressure(p: ConfigSection, pressureGPa: number): BarostatSpec | undefined {
  const b = p.raw('barostat');
  if (b === undefined) return undefined;
  const obj = { pressureGPa, ...(b as Record<string, unknown>) };
  return parseBarostat(new ConfigSection(obj, `${p.where}.barostat`));
}

function ladder(p: ConfigSection): ExpandedProtocol {
  p.checkKeys(['type', 'temperaturesK', 'stepsPerTemperature', 'equilibrationSteps', 'rampSteps', 'ensemble', 'thermostat', 'barostat', 'pressureGPa']);
  const temps = p.numbers('temperaturesK', { required: true, min: 0, unit: 'K' })!;
  const steps = p.number('stepsPerTemperature', { required: true, integer: true, min: 1 });
  const equil = p.number('equilibrationSteps', { def: 0, integer: true, min: 0 });
  const ramp = p.number('rampSteps', { def: 0, integer: true, min: 0 });
  const ensemble = p.string('ensemble', { def: 'nvt', oneOf: ['nvt', 'npt'] }) as 'nvt' | 'npt';
  const thermostat = parseThermostat(p.section('thermostat', true)!);
  const barostat = barostatWithDefaultPressure(p, p.number('pressureGPa', { def: 0, unit: 'GPa' }));
  if (ensemble === 'npt' && !barostat) throw new InputError(`${p.where}: an npt ladder needs a barostat`);
  if (ensemble === 'nvt' && barostat) throw new InputError(`${p.where}: a barostat needs "ensemble": "npt"`);
  const stages: StageSpec[] = [];
  const mk = (name: string, n: number, t0: number, t1: number): StageSpec => ({ name, steps: n, ensemble, temperatureK: [t0, t1], thermostat, barostat });
  temps.forEach((t, i) => {
    if (i > 0 && ramp > 0) stages.push(mk(`ramp-${temps[i - 1]}-${t}K`, ramp, temps[i - 1], t));
    if (equil > 0) stages.push(mk(`equilibrate-${t}K`, equil, t, t));
    stages.push(mk(`${t}K`, steps, t, t));
  });
  return { stages, info: { type: 'ladder', temperaturesK: temps, stepsPerTemperature: steps, equilibrationSteps: equil, rampSteps: ramp, ensemble } };
}

function meltQuench(p: ConfigSection, dtFs: number): ExpandedProtocol {
  p.checkKeys(['type', 'startTemperatureK', 'meltTemperatureK', 'heatSteps', 'holdSteps', 'quenchRateKPerPs', 'finalTemperatureK', 'annealTemperatureK',
    'annealSteps', 'nptSteps', 'pressureGPa', 'thermostat', 'barostat', 'meltEnsemble', 'quenchEnsemble']);
  const t0 = p.number('startTemperatureK', { def: 300, min: 0, unit: 'K' });
  const tm = p.number('meltTemperatureK', { required: true, gt: 0, unit: 'K' });
  const tf = p.number('finalTemperatureK', { def: 300, min: 0, unit: 'K' });
  if (!(tm > tf)) throw new InputError(`${p.where}: meltTemperatureK (${tm}) must exceed finalTemperatureK (${tf})`);
  const ta = p.number('annealTemperatureK', { def: tf, min: 0, unit: 'K' });
  const rate = p.number('quenchRateKPerPs', { required: true, gt: 0, unit: 'K/ps' });
  const thermostat: ThermostatSpec = parseThermostat(p.section('thermostat', true)!);
  const pressure = p.number('pressureGPa', { def: 0, unit: 'GPa' });
  const barostat = barostatWithDefaultPressure(p, pressure);
  if (!barostat) throw new InputError(`${p.where}: melt-quench needs a barostat for the final NPT stage (e.g. {"type": "c-rescale", "tauFs": 1000})`);
  const meltEns = p.string('meltEnsemble', { def: 'nvt', oneOf: ['nvt', 'npt'] }) as 'nvt' | 'npt';
  const quenchEns = p.string('quenchEnsemble', { def: 'npt', oneOf: ['nvt', 'npt'] }) as 'nvt' | 'npt';
  const quenchSteps = Math.max(1, Math.round(((tm - tf) / rate) * 1000 / dtFs));
  const st = (name: string, steps: number, ens: 'nvt' | 'npt', a: number, b: number): StageSpec =>
    ({ name, steps, ensemble: ens, temperatureK: [a, b], thermostat, barostat: ens === 'npt' ? barostat : undefined });
  const stages = [
    st('heat', p.number('heatSteps', { required: true, integer: true, min: 0 }), meltEns, t0, tm),
    st('melt', p.number('holdSteps', { required: true, integer: true, min: 0 }), meltEns, tm, tm),
    st('quench', quenchSteps, quenchEns, tm, tf),
    st('anneal', p.number('annealSteps', { def: 0, integer: true, min: 0 }), quenchEns, ta, ta),
    st('npt', p.number('nptSteps', { required: true, integer: true, min: 1 }), 'npt', tf, tf),
  ].filter((s) => s.steps > 0 || s.name === 'npt');
  return { stages, info: { type: 'melt-quench', meltTemperatureK: tm, finalTemperatureK: tf, quenchRateKPerPs: rate, quenchSteps, pressureGPa: pressure } };
}
