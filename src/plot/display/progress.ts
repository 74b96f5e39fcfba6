/**
 * Progress reporting for long runs (MD, training, analysis). Library code only calls a plain callback
 * `onProgress({done, total, label, rate})`; a notebook bar (updated in place through a Jupyter display
 * id) or a stderr bar renders it. The callback shape is structural: layers below plot can declare
 * the same interface locally instead of importing it.
 */
import { inNotebook, newDisplayId, publish } from './jupyter';

/** One progress report. `rate` is in `unit`s per second (computed from wall time when omitted). */
export interface ProgressEvent {
  done: number;
  total?: number;
  label?: string;
  rate?: number;
  /** What is counted ("steps", "frames", "epochs"); default "it". */
  unit?: string;
  /** Extra status text, e.g. "loss 0.013". */
  message?: string;
  /** Optional MD extras (src/md's progress records carry them): shown when present. */
  stage?: string;
  nsPerDay?: number;
  temperatureK?: number;
}

/** What library code accepts: called often, must be cheap. */
export type ProgressCallback = (p: ProgressEvent) => void;

/** A renderer of progress events; `finish()` ends the bar (e.g. prints the final newline). */
export interface ProgressBar extends ProgressCallback {
  finish(): void;
}

/** Options common to the bars. */
export interface ProgressBarOptions {
  label?: string;
  /** Minimum time between redraws, ms (the first and the final report are always drawn); default 250. */
  minIntervalMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** Seconds as h:mm:ss or m:ss. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const t = Math.round(s), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** Fraction done in [0, 1], or undefined without a total. */
export function progressFraction(p: ProgressEvent): number | undefined {
  return p.total && p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : undefined;
}

/** One-line text of a progress state: `label [####----] 45% 450/1000 · 12.3 steps/s · ETA 0:44 · message`. */
export function formatProgress(p: ProgressEvent, rate: number | undefined, barWidth = 24): string {
  const f = progressFraction(p);
  const unit = p.unit ?? 'it';
  const parts: string[] = [];
  if (p.label) parts.push(p.label);
  if (f !== undefined) {
    const n = Math.round(f * barWidth);
    parts.push(`[${'#'.repeat(n)}${'-'.repeat(barWidth - n)}] ${Math.floor(f * 100).toString().padStart(3)}%`);
    parts.push(`${p.done}/${p.total}`);
  } else parts.push(`${p.done} ${unit}`);
  const tail: string[] = [];
  if (rate !== undefined && Number.isFinite(rate) && rate > 0) {
    tail.push(`${rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3)} ${unit}/s`);
    if (p.total !== undefined && p.done < p.total) tail.push(`ETA ${formatDuration((p.total - p.done) / rate)}`);
  }
  if (p.stage) tail.push(p.stage);
  if (p.temperatureK !== undefined && Number.isFinite(p.temperatureK)) tail.push(`T ${p.temperatureK.toFixed(0)} K`);
  if (p.nsPerDay !== undefined && Number.isFinite(p.nsPerDay) && p.nsPerDay > 0) tail.push(`${p.nsPerDay.toPrecision(3)} ns/day`);
  if (p.message) tail.push(p.message);
  return [parts.join(' '), ...tail].join(' · ');
}

/** Shared throttling and rate estimation; `draw(p, rate, final)` does the rendering. */
function makeBar(opts: ProgressBarOptions, draw: (p: ProgressEvent, rate: number | undefined, final: boolean) => void, end: (last: ProgressEvent | undefined) => void): ProgressBar {
  const now = opts.now ?? (() => Date.now());
  const minInterval = opts.minIntervalMs ?? 250;
  let t0: number | undefined, d0 = 0, lastDraw = -Infinity, last: ProgressEvent | undefined, finished = false;
  const bar = ((p: ProgressEvent) => {
    const t = now();
    if (t0 === undefined) { t0 = t; d0 = p.done; }
    const ev = { ...p, label: p.label ?? opts.label };
    last = ev;
    const final = ev.total !== undefined && ev.done >= ev.total;
    if (!final && t - lastDraw < minInterval) return;
    lastDraw = t;
    const elapsed = (t - t0) / 1000;
    const rate = ev.rate ?? (elapsed > 0 && ev.done > d0 ? (ev.done - d0) / elapsed : undefined);
    draw(ev, rate, final);
  }) as ProgressBar;
  bar.finish = () => {
    if (finished) return;
    finished = true;
    end(last);
  };
  return bar;
}

/** Options of {@link stderrProgress}. */
export interface StderrProgressOptions extends ProgressBarOptions {
  /** Output stream (default process.stderr); on a non-TTY a line is printed per redraw instead of \r. */
  stream?: { write(s: string): unknown; isTTY?: boolean };
}

/** A text progress bar on stderr (CLI, scripts): redraws one line on a terminal, throttled lines elsewhere. */
export function stderrProgress(opts: StderrProgressOptions = {}): ProgressBar {
  const stream = opts.stream ?? process.stderr;
  const tty = !!stream.isTTY;
  let open = false;
  const interval = opts.minIntervalMs ?? (tty ? 250 : 10000);
  return makeBar({ ...opts, minIntervalMs: interval }, (p, rate, final) => {
    const line = formatProgress(p, rate);
    if (tty) {
      stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
      open = !final;
    } else stream.write(`${line}\n`);
  }, () => {
    if (open) stream.write('\n');
    open = false;
  });
}

/** The notebook bundle of a progress state: an HTML <progress> bar plus the text line. */
export function progressBundle(p: ProgressEvent, rate: number | undefined): Record<string, string> {
  const f = progressFraction(p);
  const text = formatProgress(p, rate);
  const esc = text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
  const bar = f !== undefined ? `<progress value="${p.done}" max="${p.total}" style="width:240px;vertical-align:middle"></progress> ` : '';
  return { 'text/html': `<div class="ufnmr-progress">${bar}<code>${esc}</code></div>`, 'text/plain': text };
}

/** A progress bar in the notebook output, updated in place (Jupyter update_display_data). */
export function notebookProgress(opts: ProgressBarOptions = {}): ProgressBar {
  const id = newDisplayId();
  let shown = false;
  let lastRate: number | undefined;
  const draw = (p: ProgressEvent, rate: number | undefined) => {
    lastRate = rate;
    publish(progressBundle(p, rate), { displayId: id, update: shown });
    shown = true;
  };
  return makeBar(opts, draw, (last) => { if (last) draw(last, lastRate); });
}

/** A progress bar for the current context: in place in a notebook, on stderr otherwise. */
export function progressBar(label?: string, opts: ProgressBarOptions = {}): ProgressBar {
  return inNotebook() ? notebookProgress({ ...opts, label }) : stderrProgress({ ...opts, label });
}
