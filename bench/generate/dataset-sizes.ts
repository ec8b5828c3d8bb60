/** How many rows of each kind a bench dataset holds. `large` is the size issue 6 asks for. */
export interface DatasetSize {
  name: SizeName;
  networks: number;
  participants: number;
  policePartners: number;
  partners: number;
  sessions: number;
  disputes: number;
  initiatives: number;
  earlyWarnings: number;
  indicatorValues: number;
}

export type SizeName = 'small' | 'medium' | 'large';
export const SIZE_NAMES: readonly SizeName[] = ['small', 'medium', 'large'];

export const SIZES: Record<SizeName, DatasetSize> = {
  small: {
    name: 'small', networks: 66, participants: 2_200, policePartners: 220, partners: 22,
    sessions: 10_000, disputes: 2_000, initiatives: 200, earlyWarnings: 500, indicatorValues: 10_000,
  },
  medium: {
    name: 'medium', networks: 396, participants: 20_009, policePartners: 1_001, partners: 110,
    sessions: 100_000, disputes: 20_000, initiatives: 2_000, earlyWarnings: 5_000, indicatorValues: 100_000,
  },
  large: {
    name: 'large', networks: 2_002, participants: 200_002, policePartners: 5_005, partners: 396,
    sessions: 1_000_000, disputes: 200_000, initiatives: 20_000, earlyWarnings: 50_000, indicatorValues: 1_000_000,
  },
};

/** The eleven programme countries; a record's country is its index modulo 11 throughout the generator. */
export const COUNTRIES = [
  ['NP', 'Nepal', 'South Asia'], ['IQ', 'Iraq', 'Middle East'], ['LY', 'Libya', 'North Africa'],
  ['YE', 'Yemen', 'Middle East'], ['SO', 'Somalia', 'East Africa'], ['SD', 'Sudan', 'East Africa'],
  ['SS', 'South Sudan', 'East Africa'], ['ML', 'Mali', 'West Africa'], ['NG', 'Nigeria', 'West Africa'],
  ['CF', 'Central African Republic', 'Central Africa'], ['AF', 'Afghanistan', 'South Asia'],
] as const;
export const COUNTRY_COUNT = COUNTRIES.length;

/** Data covers 125 months from January 2015 (to May 2025): 2,002 networks × 4 indicators × 125 ≈ 1M values. */
export const FIRST_DAY = '2015-01-01';
export const MONTHS = 125;

/**
 * `BENCH_DB_SUFFIX` (e.g. `_perf` → `jsd_bench_medium_perf`) gives an engineer a private copy of a
 * dataset, so that regenerating or writing into it never disturbs someone else's run on the same server.
 */
export function databaseName(size: SizeName): string {
  return `jsd_bench_${size}${process.env.BENCH_DB_SUFFIX ?? ''}`;
}
