/**
 * Progress of a running simulation, delivered as plain records to a callback (a notebook display or
 * the CLI's stderr line render them; this module depends on neither).
 */

/**
 * One progress report. Rates are over the whole run so far (wall clock). Structurally a src/plot
 * ProgressEvent ({done, total, label, rate, unit, stage, nsPerDay, temperatureK}), so a notebook
 * progress bar from src/plot can be passed as the callback directly.
 */
export interface MDProgress {
  label: string;
  /** What `done`/`total`/`rate` count: "steps". */
  unit: 'steps';
  /** Steps done in this run and steps this run will do. */
  done: number;
  total: number;
  /** Global step counter of the system. */
  step: number;
  /** Steps per second. */
  rate: number;
  /** Thousand atom-steps per second. */
  katomStepsPerS: number;
  /** Simulated nanoseconds per day of wall time. */
  nsPerDay: number;
  /** Estimated seconds to finish (NaN before the first measurement). */
  etaS: number;
  elapsedS: number;
  temperatureK: number;
  potentialEnergy: number;
  /** Name of the running stage (protocols). */
  stage?: string;
}

/** A progress callback. */
export type ProgressCallback = (p: MDProgress) => void;

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.max(0, Math.round(s)), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** One-line text rendering of a progress record (for stderr). */
export function formatProgress(p: MDProgress): string {
  const pct = p.total > 0 ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  const stage = p.stage ? ` [${p.stage}]` : '';
  return `${p.label}${stage} ${pct}% step ${p.step} (${p.done}/${p.total})  ${p.rate.toFixed(1)} steps/s  ${p.katomStepsPerS.toFixed(1)} katom-step/s  ${p.nsPerDay.toFixed(3)} ns/day  T ${p.temperatureK.toFixed(1)} K  ETA ${formatDuration(p.etaS)}`;
}

/** A callback that rewrites one stderr line (or prints lines when stderr is not a terminal). */
export function stderrProgress(write: (t: string) => void = (t) => process.stderr.write(t), tty = !!process.stderr.isTTY): ProgressCallback {
  return (p) => write(tty ? `\r\x1b[K${formatProgress(p)}${p.done >= p.total ? '\n' : ''}` : `${formatProgress(p)}\n`);
}
