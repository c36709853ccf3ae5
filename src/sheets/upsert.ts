import type { Cell } from './api.js';

/**
 * Pure planning of an upsert into one tab: given the rows the sheet holds (below its header) and the rows wanted,
 * which sheet rows to delete, which to rewrite in place and which to add. Rows are keyed by their first `keyColumns`
 * cells, so a re-run rewrites a row where it is and never adds a second one; a key found twice (a hand edit) keeps
 * its first row. Rows the caller does not want kept (`drop`: older than the window, or a metric no longer mirrored)
 * are deleted.
 */

export interface UpsertPlan {
  /** 0-based sheet row ranges [start, end) to delete, highest first (so earlier indexes stay valid). */
  deletes: { startIndex: number; endIndex: number }[];
  /** Runs of consecutive rows to write after the deletions: first 1-based sheet row, and its rows. */
  writes: { startRow: number; rows: Cell[][] }[];
  /** Rows rewritten because a cell changed, and rows added. */
  changed: number;
  added: number;
  deleted: number;
}

export const keyOf = (row: readonly Cell[], keyColumns: number) =>
  row
    .slice(0, keyColumns)
    .map((c) => String(c))
    .join('\u0000');

const sameRow = (a: readonly Cell[], b: readonly Cell[]) => {
  const width = Math.max(a.length, b.length);
  for (let i = 0; i < width; i++) if (String(a[i] ?? '') !== String(b[i] ?? '')) return false;
  return true;
};

export function planUpsert(opts: {
  existing: readonly Cell[][];
  wanted: readonly Cell[][];
  keyColumns: number;
  drop: (row: readonly Cell[]) => boolean;
  /** Rows above the data (the header): sheet row index of existing[0] is `headerRows`. */
  headerRows?: number;
}): UpsertPlan {
  const header = opts.headerRows ?? 1;
  const seen = new Set<string>();
  const removed: number[] = [];
  const kept: Cell[][] = [];
  opts.existing.forEach((row, i) => {
    const key = keyOf(row, opts.keyColumns);
    const blank = row.every((c) => String(c) === '');
    if (blank || seen.has(key) || opts.drop(row)) removed.push(i);
    else {
      seen.add(key);
      kept.push([...row]);
    }
  });

  const position = new Map(kept.map((row, i) => [keyOf(row, opts.keyColumns), i]));
  const dirty = new Set<number>();
  const additions: Cell[][] = [];
  for (const row of opts.wanted) {
    const at = position.get(keyOf(row, opts.keyColumns));
    if (at === undefined) {
      position.set(keyOf(row, opts.keyColumns), kept.length + additions.length);
      additions.push([...row]);
    } else if (!sameRow(kept[at]!, row)) {
      kept[at] = [...row];
      dirty.add(at);
    }
  }
  const final = [...kept, ...additions];
  for (let i = kept.length; i < final.length; i++) dirty.add(i);

  const writes: UpsertPlan['writes'] = [];
  for (const i of [...dirty].sort((a, b) => a - b)) {
    const last = writes.at(-1);
    const sheetRow = header + i + 1;
    if (last && last.startRow + last.rows.length === sheetRow) last.rows.push(final[i]!);
    else writes.push({ startRow: sheetRow, rows: [final[i]!] });
  }

  const deletes: UpsertPlan['deletes'] = [];
  for (const i of removed) {
    const last = deletes.at(-1);
    const index = header + i;
    if (last && last.endIndex === index) last.endIndex = index + 1;
    else deletes.push({ startIndex: index, endIndex: index + 1 });
  }
  deletes.reverse();
  return { deletes, writes, changed: dirty.size - additions.length, added: additions.length, deleted: removed.length };
}

/** `A`, `B`, … `Z`, `AA`: the column letter of a 1-based column number. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** A1 range of a block of rows in a tab: `'Daily'!A2:H40`. */
export function blockRange(tab: string, startRow: number, rows: number, columns: number): string {
  return `${quoteTab(tab)}!A${startRow}:${columnLetter(columns)}${startRow + rows - 1}`;
}

export const quoteTab = (tab: string) => `'${tab.replace(/'/g, "''")}'`;
