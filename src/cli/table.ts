// Human tables for `show` commands: left-aligned text, right-aligned numbers, a dashed rule
// under the header (the layout of the reference manual's show output).
export type Cell = string | number;

export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (cells: readonly Cell[]) =>
    cells
      .map((c, i) => (numeric[i] ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Text placed at fixed character columns (layouts that must match a manual column for column). */
export function atColumns(cells: readonly (readonly [number, string])[]): string {
  let line = '';
  for (const [col, text] of cells) line = `${line.padEnd(col)}${text}`;
  return line.trimEnd();
}
