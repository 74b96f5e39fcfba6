/**
 * Periodic table: symbol, atomic number Z and standard atomic mass (amu; IUPAC abridged standard
 * atomic weights, mass number of the longest-lived isotope for elements without a stable one).
 */
import { InputError } from './errors';

const TABLE = `H 1.008 He 4.0026 Li 6.94 Be 9.0122 B 10.81 C 12.011 N 14.007 O 15.999 F 18.998 Ne 20.180
Na 22.990 Mg 24.305 Al 26.982 Si 28.085 P 30.974 S 32.06 Cl 35.45 Ar 39.95 K 39.098 Ca 40.078
Sc 44.956 Ti 47.867 V 50.942 Cr 51.996 Mn 54.938 Fe 55.845 Co 58.933 Ni 58.693 Cu 63.546 Zn 65.38
Ga 69.723 Ge 72.630 As 74.922 Se 78.971 Br 79.904 Kr 83.798 Rb 85.468 Sr 87.62 Y 88.906 Zr 91.224
Nb 92.906 Mo 95.95 Tc 98 Ru 101.07 Rh 102.91 Pd 106.42 Ag 107.87 Cd 112.41 In 114.82 Sn 118.71
Sb 121.76 Te 127.60 I 126.90 Xe 131.29 Cs 132.91 Ba 137.33 La 138.91 Ce 140.12 Pr 140.91 Nd 144.24
Pm 145 Sm 150.36 Eu 151.96 Gd 157.25 Tb 158.93 Dy 162.50 Ho 164.93 Er 167.26 Tm 168.93 Yb 173.05
Lu 174.97 Hf 178.49 Ta 180.95 W 183.84 Re 186.21 Os 190.23 Ir 192.22 Pt 195.08 Au 196.97 Hg 200.59
Tl 204.38 Pb 207.2 Bi 208.98 Po 209 At 210 Rn 222 Fr 223 Ra 226 Ac 227 Th 232.04
Pa 231.04 U 238.03 Np 237 Pu 244 Am 243 Cm 247 Bk 247 Cf 251 Es 252 Fm 257
Md 258 No 259 Lr 266 Rf 267 Db 268 Sg 269 Bh 270 Hs 269 Mt 278 Ds 281
Rg 282 Cn 285 Nh 286 Fl 289 Mc 290 Lv 293 Ts 294 Og 294`;

/** One element of the periodic table. */
export interface Element {
  readonly symbol: string;
  /** Atomic number. */
  readonly Z: number;
  /** Standard atomic mass, amu. */
  readonly mass: number;
}

/** All elements, index Z−1. */
export const ELEMENTS: readonly Element[] = (() => {
  const tok = TABLE.split(/\s+/).filter(Boolean);
  const out: Element[] = [];
  for (let i = 0; i < tok.length; i += 2) out.push(Object.freeze({ symbol: tok[i], Z: i / 2 + 1, mass: Number(tok[i + 1]) }));
  return Object.freeze(out);
})();

const BY_SYMBOL = new Map(ELEMENTS.map((e) => [e.symbol, e]));

/** True when `symbol` is a chemical element symbol (case-sensitive, e.g. "Li"). */
export function isElement(symbol: string): boolean {
  return BY_SYMBOL.has(symbol);
}

/** The element with this symbol; throws InputError naming the symbol when unknown. */
export function element(symbol: string): Element {
  const e = BY_SYMBOL.get(symbol);
  if (!e) throw new InputError(`unknown element ${JSON.stringify(symbol)}`);
  return e;
}

/** The element with atomic number Z (1..118). */
export function elementByZ(Z: number): Element {
  const e = Number.isInteger(Z) ? ELEMENTS[Z - 1] : undefined;
  if (!e) throw new InputError(`unknown atomic number ${Z}`);
  return e;
}

/** Standard atomic mass of `symbol`, amu. */
export function atomicMass(symbol: string): number {
  return element(symbol).mass;
}

/**
 * Normalises a species label as found in files ("li", "LI", "Li1", "Li+") to an element symbol,
 * or returns undefined when it is not one.
 */
export function normaliseSymbol(label: string): string | undefined {
  const m = /^([A-Za-z])([A-Za-z]?)/.exec(label.trim());
  if (!m) return undefined;
  const two = m[1].toUpperCase() + m[2].toLowerCase();
  if (m[2] && BY_SYMBOL.has(two)) return two;
  const one = m[1].toUpperCase();
  return BY_SYMBOL.has(one) ? one : undefined;
}
