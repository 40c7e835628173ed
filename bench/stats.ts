/** Small statistics for the benchmark: nearest-rank percentiles over milliseconds. */

export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export interface Check {
  readonly name: string;
  readonly measured: number;
  readonly target: number;
  /** `max`: measured must be at most the target; `below`: strictly below. */
  readonly kind: 'max' | 'below';
  readonly unit: string;
}

export const met = (check: Check): boolean =>
  check.kind === 'max' ? check.measured <= check.target : check.measured < check.target;

/** Prints rows as an aligned text table. */
export const printTable = (
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
};
