/**
 * Strict reading of JSON configuration objects: every key must be known (unknown keys are reported
 * with the closest known key, which catches missing unit suffixes such as "timestep" for "timestepFs"),
 * numbers must be numbers (a string like "1 fs" is rejected: units live in the key names).
 */
import { InputError } from '../core/errors';

/** A JSON object being read, with its location for error messages (e.g. "md.json: stages[1].thermostat"). */
export class ConfigSection {
  private readonly used = new Set<string>();

  constructor(readonly obj: Record<string, unknown>, readonly where: string) {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new InputError(`${where}: expected an object, got ${describe(obj)}`);
  }

  /** Rejects keys not in `known` (call after declaring them all). */
  checkKeys(known: readonly string[]): void {
    for (const k of Object.keys(this.obj)) {
      if (known.includes(k)) continue;
      const near = closest(k, known);
      throw new InputError(`${this.where}: unknown key ${JSON.stringify(k)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (known: ${known.join(', ')})`);
    }
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  private value(key: string, required: boolean): unknown {
    this.used.add(key);
    const v = this.obj[key];
    if (v === undefined && required) throw new InputError(`${this.where}: missing required key ${JSON.stringify(key)}`);
    return v;
  }

  /** A finite number; `unit` appears in messages. */
  number(key: string, o: { required?: boolean; def?: number; min?: number; gt?: number; max?: number; integer?: boolean; unit?: string } = {}): number {
    const v = this.value(key, !!o.required && o.def === undefined);
    if (v === undefined) return o.def as number;
    const unit = o.unit ? ` (${o.unit})` : '';
    if (typeof v === 'string' && /[a-zA-Z]/.test(v)) throw new InputError(`${this.where}.${key}: expected a plain number${unit}, got the string ${JSON.stringify(v)} — units are fixed by the key name`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${this.where}.${key}: expected a number${unit}, got ${describe(v)}`);
    if (o.integer && !Number.isInteger(v)) throw new InputError(`${this.where}.${key}: expected an integer, got ${v}`);
    if (o.gt !== undefined && !(v > o.gt)) throw new InputError(`${this.where}.${key}: must be > ${o.gt}${unit}, got ${v}`);
    if (o.min !== undefined && !(v >= o.min)) throw new InputError(`${this.where}.${key}: must be ≥ ${o.min}${unit}, got ${v}`);
    if (o.max !== undefined && !(v <= o.max)) throw new InputError(`${this.where}.${key}: must be ≤ ${o.max}${unit}, got ${v}`);
    return v;
  }

  /** A number or a [start, end] pair (ramps). */
  numberOrRange(key: string, o: { required?: boolean; min?: number; unit?: string } = {}): [number, number] | undefined {
    const v = this.obj[key];
    if (Array.isArray(v)) {
      this.used.add(key);
      if (v.length !== 2) throw new InputError(`${this.where}.${key}: a ramp needs [start, end], got ${v.length} values`);
      const inner = new ConfigSection({ start: v[0], end: v[1] }, `${this.where}.${key}`);
      return [inner.number('start', { required: true, min: o.min, unit: o.unit }), inner.number('end', { required: true, min: o.min, unit: o.unit })];
    }
    if (v === undefined && !o.required) { this.used.add(key); return undefined; }
    const x = this.number(key, { required: o.required, min: o.min, unit: o.unit });
    return [x, x];
  }

  string(key: string, o: { required?: boolean; def?: string; oneOf?: readonly string[] } = {}): string {
    const v = this.value(key, !!o.required && o.def === undefined);
    if (v === undefined) return o.def as string;
    if (typeof v !== 'string') throw new InputError(`${this.where}.${key}: expected a string, got ${describe(v)}`);
    if (o.oneOf && !o.oneOf.includes(v)) throw new InputError(`${this.where}.${key}: must be one of ${o.oneOf.map((s) => JSON.stringify(s)).join(', ')}, got ${JSON.stringify(v)}`);
    return v;
  }

  boolean(key: string, def: boolean): boolean {
    const v = this.value(key, false);
    if (v === undefined) return def;
    if (typeof v !== 'boolean') throw new InputError(`${this.where}.${key}: expected true or false, got ${describe(v)}`);
    return v;
  }

  /** A nested object section (undefined when absent and not required). */
  section(key: string, required = false): ConfigSection | undefined {
    const v = this.value(key, required);
    if (v === undefined) return undefined;
    return new ConfigSection(v as Record<string, unknown>, `${this.where}.${key}`);
  }

  /** An array of nested object sections. */
  sections(key: string, required = false): ConfigSection[] | undefined {
    const v = this.value(key, required);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new InputError(`${this.where}.${key}: expected a list, got ${describe(v)}`);
    return v.map((x, i) => new ConfigSection(x as Record<string, unknown>, `${this.where}.${key}[${i}]`));
  }

  /** An array of numbers. */
  numbers(key: string, o: { required?: boolean; length?: number; min?: number; integer?: boolean; unit?: string } = {}): number[] | undefined {
    const v = this.value(key, !!o.required);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || (o.length !== undefined && v.length !== o.length) || v.length === 0)
      throw new InputError(`${this.where}.${key}: expected a list of ${o.length ?? 'one or more'} numbers${o.unit ? ` (${o.unit})` : ''}, got ${describe(v)}`);
    const inner = new ConfigSection(Object.fromEntries(v.map((x, i) => [String(i), x])), `${this.where}.${key}`);
    return v.map((_, i) => inner.number(String(i), { required: true, min: o.min, integer: o.integer, unit: o.unit }));
  }

  /** An array of strings. */
  strings(key: string): string[] | undefined {
    const v = this.value(key, false);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new InputError(`${this.where}.${key}: expected a list of strings, got ${describe(v)}`);
    return v as string[];
  }

  /** The raw value (for free-form parts such as potential parameters). */
  raw(key: string): unknown {
    return this.value(key, false);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

/** The known key most similar to `k` (prefix match first, then edit distance ≤ 3). */
export function closest(k: string, known: readonly string[]): string | undefined {
  const lower = k.toLowerCase();
  const prefix = known.find((x) => x.toLowerCase().startsWith(lower) || lower.startsWith(x.toLowerCase()));
  if (prefix) return prefix;
  let best: string | undefined, bd = 4;
  for (const x of known) { const d = editDistance(lower, x.toLowerCase()); if (d < bd) { bd = d; best = x; } }
  return best;
}

function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[n];
}
