import { describe, expect, it } from 'vitest';
import { blockRange, columnLetter, planUpsert } from '../../src/sheets/upsert.js';

/** The pure upsert plan: in place by key, new keys appended, dropped and duplicated rows deleted highest first. */

describe('planUpsert', () => {
  const existing = [
    ['a', 'A', '2026-01-01', 1],
    ['a', 'A', '2026-01-02', 2],
    ['b', 'B', '2026-01-02', 3],
    ['a', 'A', '2026-01-02', 9], // a duplicate key (a hand edit): the first one wins
    ['b', 'B', '2026-01-03', 4],
  ];
  const drop = (row: readonly (string | number | boolean)[]) => String(row[2]) < '2026-01-02';

  it('rewrites changed rows in place, appends new keys and deletes dropped and duplicate rows', () => {
    const plan = planUpsert({
      existing,
      wanted: [
        ['a', 'A', '2026-01-02', 2], // unchanged
        ['b', 'B', '2026-01-03', 5], // changed
        ['a', 'A', '2026-01-04', 6], // new
      ],
      keyColumns: 3,
      drop,
    });
    // Sheet rows 2..6 hold existing[0..4]: delete existing[3] (index 4) and existing[0] (index 1), highest first.
    expect(plan.deletes).toEqual([
      { startIndex: 4, endIndex: 5 },
      { startIndex: 1, endIndex: 2 },
    ]);
    // After the deletions: a/01-02 (row 2), b/01-02 (row 3), b/01-03 (row 4); the change and the new row are one run.
    expect(plan.writes).toEqual([
      {
        startRow: 4,
        rows: [
          ['b', 'B', '2026-01-03', 5],
          ['a', 'A', '2026-01-04', 6],
        ],
      },
    ]);
    expect(plan).toMatchObject({ changed: 1, added: 1, deleted: 2 });
  });

  it('writes nothing when nothing changed, and treats missing trailing cells as empty', () => {
    const plan = planUpsert({ existing: [['a', 'A', '2026-01-02', 2]], wanted: [['a', 'A', '2026-01-02', 2, '']], keyColumns: 3, drop });
    expect(plan).toEqual({ deletes: [], writes: [], changed: 0, added: 0, deleted: 0 });
  });

  it('names ranges in A1 notation with quoted tab names', () => {
    expect(columnLetter(8)).toBe('H');
    expect(columnLetter(28)).toBe('AB');
    expect(blockRange("Bob's tab", 2, 3, 8)).toBe("'Bob''s tab'!A2:H4");
  });
});
