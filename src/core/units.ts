/**
 * Physical constants and unit conversions (science.md §1). Internal units: Å, eV, fs, amu, K,
 * eV/Å, eV/Å³, V/Å² (EFG). Conversions to other units happen only at I/O boundaries.
 */

/** Boltzmann constant, eV/K. */
export const KB_EV_PER_K = 8.617333262e-5;
/** Coulomb constant e²/(4πε0), eV·Å/e². */
export const COULOMB_EV_A = 14.399645;
/** Planck constant, J·s. */
export const PLANCK_J_S = 6.62607015e-34;
/** Reduced Planck constant, J·s. */
export const HBAR_J_S = PLANCK_J_S / (2 * Math.PI);
/** Elementary charge, C. */
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
/** Avogadro constant, 1/mol. */
export const AVOGADRO = 6.02214076e23;
/** 1 amu·Å²/fs² expressed in eV (kinetic energy unit conversion): m[amu]·v[Å/fs]² → eV. */
export const AMU_A2_PER_FS2_IN_EV = 1.66053906660e-27 * 1e-20 / 1e-30 / ELEMENTARY_CHARGE_C;
/** 1 eV/Å³ in GPa. */
export const EV_PER_A3_IN_GPA = 160.21766208;
/** 1 eV/Å³ in bar (LAMMPS metal pressure unit). */
export const EV_PER_A3_IN_BAR = 1.6021766208e6;
/** 1 atomic unit of EFG (Hartree/(e·bohr²)) in V/Å². */
export const EFG_AU_IN_V_PER_A2 = 97.1736;
/** 1 V/Å² in V/m². */
export const V_PER_A2_IN_V_PER_M2 = 1e20;
/** Quadrupole moment of 7Li, m² (−40.1 mb, science.md §1). */
export const Q_LI7_M2 = -40.1e-31;
/** 1 millibarn in m². */
export const MILLIBARN_M2 = 1e-31;
/** Velocity: 1 Å/ps (LAMMPS metal) in Å/fs. */
export const A_PER_PS_IN_A_PER_FS = 1e-3;
