/** Python-style frame selection "start:stop:step" over a stream of frames. */
import { InputError } from '../core/errors';

/** A frame selection; undefined fields mean "from the first", "to the end", "every frame". */
export interface FrameSlice {
  start?: number;
  stop?: number;
  step?: number;
}

/** Parses "a:b:s", "a:b", "a:", ":b", "::s" or a single index "k" (= k:k+1). */
export function parseFrameSlice(text: string): FrameSlice {
  const parts = text.trim().split(':');
  const int = (s: string, what: string): number | undefined => {
    if (s.trim() === '') return undefined;
    if (!/^[+-]?\d+$/.test(s.trim())) throw new InputError(`frame selection ${JSON.stringify(text)}: ${what} must be an integer`);
    return Number(s);
  };
  if (parts.length === 1) {
    const k = int(parts[0], 'the index');
    if (k === undefined) throw new InputError('empty frame selection');
    return { start: k, stop: k === -1 ? undefined : k + 1, step: 1 };
  }
  if (parts.length > 3) throw new InputError(`frame selection ${JSON.stringify(text)}: expected start:stop:step`);
  const sl: FrameSlice = { start: int(parts[0], 'start'), stop: int(parts[1], 'stop'), step: parts.length === 3 ? int(parts[2], 'step') : undefined };
  if (sl.step !== undefined && sl.step <= 0) throw new InputError(`frame selection ${JSON.stringify(text)}: step must be positive`);
  return sl;
}

/**
 * The selected frames of a stream. Non-negative start/stop stream with O(1) memory (and stop reading
 * at stop); a negative start or stop counts from the end and keeps up to |value| frames buffered.
 */
export function* sliceFrames<T>(frames: Iterable<T>, sl: FrameSlice): Generator<T> {
  const step = sl.step ?? 1;
  const start = sl.start ?? 0, stop = sl.stop;
  if (start >= 0 && (stop === undefined || stop >= 0)) {
    let i = 0;
    for (const f of frames) {
      if (stop !== undefined && i >= stop) return;
      if (i >= start && (i - start) % step === 0) yield f;
      i++;
    }
    return;
  }
  // negative indices: keep the whole stream's length in view through a buffer of |neg| frames
  const all: T[] = [];
  for (const f of frames) all.push(f);
  const n = all.length;
  const norm = (k: number) => (k < 0 ? Math.max(0, n + k) : Math.min(k, n));
  const a = norm(start), b = stop === undefined ? n : norm(stop);
  for (let i = a; i < b; i += step) yield all[i];
}
