/** What a command prints: one JSON document for scripts, or readable text for people. */
export interface Output {
  readonly json: unknown;
  readonly text: string;
  /**
   * Set when the main change was made but a follow-up failed (an API key, a cache flush): the output
   * still shows what was done (a credential is shown only once), and the exit code says it is not all.
   */
  readonly exitCode?: number;
}

export type Row = Readonly<Record<string, string>>;

/** Rows as an aligned text table with a header; `(không có / none)` when there are none. */
export const table = (rows: readonly Row[], columns: readonly string[]): string => {
  if (rows.length === 0) return '(không có / none)\n';
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => r[c] ?? ''))),
  ].join('\n')}\n`;
};

export const orDash = (value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? '-' : value;
