import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { GroupBy, ImpactResult, ImpactRow } from './impact-metrics.model';

/** Columns that name a row's group, per groupBy (the same keys the JSON rows carry). */
const GROUP_COLUMNS: Record<GroupBy | 'none', string[]> = {
  none: [],
  country: ['countryCode'],
  network: ['countryCode', 'networkId', 'networkName'],
  month: ['period'],
  quarter: ['period'],
  year: ['period'],
};

const MONEY_FIELDS = ['budgetCommitted', 'disbursed'] as const;

/** Dotted names of a row's scalar figures, in the row's own order (money and `suppressed` aside). */
function figureColumns(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (!prefix && (key === 'suppressed' || (MONEY_FIELDS as readonly string[]).includes(key) || GROUP_COLUMNS.network.includes(key) || key === 'period')) return [];
    return figureColumns(inner, name);
  });
}

/**
 * The CSV header: group columns, then one column per scalar figure (nested objects flattened to
 * dotted names such as `stakeholderGroups.women` or `indicatorChange.reported_crimes.baseline`),
 * then one column per currency of each money figure (`budgetCommitted.USD`, currencies in
 * alphabetical order, those present in the answer), then `suppressed` (names joined by `;`).
 * Every row has the same figures, so the header depends only on groupBy and the currencies.
 */
export function csvColumns(result: ImpactResult, template: ImpactRow): string[] {
  const money = MONEY_FIELDS.flatMap((field) => {
    const currencies = [...new Set(result.data.flatMap((row) => row[field].map((m) => m.currency)))].sort();
    return currencies.map((c) => `${field}.${c}`);
  });
  return [...GROUP_COLUMNS[result.groupBy ?? 'none'], ...figureColumns(template), ...money, 'suppressed'];
}

function cell(row: ImpactRow, column: string): string | number | null {
  const [head, ...rest] = column.split('.');
  if (head === 'suppressed') return row.suppressed.join(';');
  if ((MONEY_FIELDS as readonly string[]).includes(head)) {
    return row[head as (typeof MONEY_FIELDS)[number]].find((m) => m.currency === rest[0])?.amount ?? null;
  }
  let value: unknown = row[head as keyof ImpactRow];
  for (const key of rest) value = (value as Record<string, unknown> | null)?.[key];
  return value === undefined ? null : (value as string | number | null);
}

/** The rows as a CSV stream (csv-stringify), written row by row; null and absent figures are empty cells. */
export function impactCsvStream(result: ImpactResult, template: ImpactRow): Readable {
  const columns = csvColumns(result, template);
  // Records are arrays (positional): column names contain dots, which csv-stringify reads as paths in objects.
  const csv = stringify({ header: true, columns });
  Readable.from(result.data.map((row) => columns.map((c) => cell(row, c)))).pipe(csv);
  return csv;
}
