/**
 * Terminal widths: how many columns a string takes (emoji are two, ANSI colour codes none), word wrapping, and
 * tables that drop and shrink columns to fit. Pure: the width comes in as a number, never read from the process here.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
const ANSI = /\x1b\[[0-9;]*m/g;

/** Columns a code point takes: 0 for joiners and selectors, 2 for emoji and East Asian wide forms, else 1. */
function codePointWidth(cp: number): number {
  if (cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x0300 && cp <= 0x036f)) return 0;
  if (cp >= 0x1f000) return 2;
  if (cp === 0x26aa || cp === 0x26ab || cp === 0x231a || cp === 0x231b || (cp >= 0x23e9 && cp <= 0x23f3) || cp === 0x2705 || cp === 0x274c)
    return 2;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff))
    return 2;
  if ((cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)) return 2;
  return 1;
}

/** Nothing wider or narrower than one column: no ANSI escape and no code point from U+0300 on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts an ANSI sequence, which takes no columns.
const ONE_COLUMN_EACH = /^[\x00-\x1a\x1c-\u02ff]*$/;

/** Display columns of `text`; a narrow symbol followed by VS16 (▫️) is drawn as emoji, two columns. */
export function displayWidth(text: string): number {
  // Most text is plain: its width is its length (a terminal page measures thousands of candidates while wrapping).
  if (ONE_COLUMN_EACH.test(text)) return text.length;
  let width = 0;
  let previous = 0;
  for (const ch of text.replace(ANSI, '')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfe0f && previous === 1) width += 1;
    previous = codePointWidth(cp);
    width += previous;
  }
  return width;
}

/** `text` cut to at most `width` columns, ending in "…" when cut. */
export function truncateTo(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

const NBSP = '\u00a0';

/** Word-wraps `text` to `width` columns; continuation lines start with `indent`. A word longer than a line is cut. */
export function wrap(text: string, width: number, indent = '  '): string[] {
  if (displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  // Never break before a unit ("100 %") or after a "·" separator, which belongs to the words after it.
  const words = text
    .replace(/ (%|pts?\b|h\b|d\b)/g, `${NBSP}$1`)
    .replace(/ · /g, ` ·${NBSP}`)
    .split(' ');
  for (const raw of words) {
    const word = raw;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width || line.trim() === '') {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = `${indent}${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => truncateTo(l.replaceAll(NBSP, ' '), width));
}

export interface Column {
  header: string;
  /** Used once the full headers no longer fit. */
  short?: string;
  align: 'left' | 'right';
  /** Columns with a drop order are left out, lowest first, until the table fits. */
  drop?: number;
  /** The column cut down (to `min` columns, with "…") when dropping and short headers are not enough. */
  shrink?: { min: number };
}

/** A table row, or a full-width line between rows (a group heading). */
export type TableRow = string[] | { line: string };

const GAP = 2;

/**
 * Lays out a table within `width` columns (null: as wide as it needs): first every column, then without the
 * droppable ones in their order, then with short headers (or short headers before dropping, with
 * `abbreviate-first`), then the shrinkable column cut down. Cells are plain text;
 * `paint` colours one after it is padded, so colour never changes a width.
 */
export function fitTable(
  columns: Column[],
  rows: TableRow[],
  width: number | null,
  paint: (text: string, column: number, row: string[]) => string = (t) => t,
  order: 'drop-first' | 'abbreviate-first' = 'drop-first',
): string[] {
  let shown = columns.map((_, i) => i);
  let short = false;
  let cap = Number.POSITIVE_INFINITY;
  const header = (i: number) => (short ? (columns[i]!.short ?? columns[i]!.header) : columns[i]!.header);
  const cellOf = (row: string[], i: number) => (columns[i]!.shrink ? truncateTo(row[i] ?? '', cap) : (row[i] ?? ''));
  const dataRows = rows.filter((r): r is string[] => Array.isArray(r));
  const widths = () => shown.map((i) => Math.max(displayWidth(header(i)), ...dataRows.map((r) => displayWidth(cellOf(r, i)))));
  const total = () => widths().reduce((a, b) => a + b, 0) + GAP * (shown.length - 1);

  if (width !== null) {
    if (order === 'abbreviate-first' && total() > width) short = true;
    const droppable = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.drop !== undefined);
    for (const { i } of droppable.sort((a, b) => a.c.drop! - b.c.drop!)) {
      if (total() <= width) break;
      shown = shown.filter((s) => s !== i);
    }
    if (total() > width) short = true;
    const shrinking = shown.find((i) => columns[i]!.shrink);
    if (shrinking !== undefined && total() > width) {
      const current = widths()[shown.indexOf(shrinking)]!;
      cap = Math.max(columns[shrinking]!.shrink!.min, current - (total() - width));
    }
  }

  const w = widths();
  const line = (cells: string[], painted: (text: string, column: number) => string) =>
    cells
      .map((cell, k) => {
        const pad = ' '.repeat(Math.max(0, w[k]! - displayWidth(cell)));
        const text = painted(cell, shown[k]!);
        if (columns[shown[k]!]!.align === 'right') return pad + text;
        return k === cells.length - 1 ? text : text + pad;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return [
    line(
      shown.map((i) => header(i)),
      (t) => t,
    ),
    ...rows.map((r) =>
      Array.isArray(r)
        ? line(
            shown.map((i) => cellOf(r, i)),
            (t, column) => paint(t, column, r),
          )
        : r.line,
    ),
  ];
}

/** The width to lay out for: the terminal's when writing to one, else `COLUMNS`, else 100 (pipes stay deterministic). */
export function terminalWidth(stdout: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>): number {
  if (stdout.isTTY && stdout.columns && stdout.columns > 0) return stdout.columns;
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 100;
}
