import { describe, expect, it } from 'vitest';
import { displayWidth, fitTable, terminalWidth, truncateTo, wrap, type Column } from '../../src/terminal/width.js';

describe('terminal widths', () => {
  it('counts emoji as two columns and colour codes as none', () => {
    expect(displayWidth('🟢 ok')).toBe(5);
    expect(displayWidth('▫️')).toBe(2);
    expect(displayWidth('\x1b[32m🟢\x1b[39m')).toBe(2);
    expect(displayWidth('≥ $500K')).toBe(7);
  });

  it('counts plain text by its length, and leaves colour codes and combining marks to the slow path', () => {
    expect(displayWidth('Cash position (cash) · as of Wed 18 Nov')).toBe(39);
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('\x1b[1mbold\x1b[22m')).toBe(4);
    expect(displayWidth('cafe\u0301')).toBe(4);
    expect(displayWidth('naïve')).toBe(5);
  });

  it('wraps at word boundaries with a hanging indent, keeping units and separators with their words', () => {
    const lines = wrap(
      'Biggest moves: Vendors not onboarded 1 → 0 (−100 %); Networking events 5 → 3 (−40 %) · owner@example.com',
      40,
      '   ',
    );
    expect(lines.every((l) => displayWidth(l) <= 40)).toBe(true);
    expect(lines.some((l) => l.trimStart().startsWith('%'))).toBe(false);
    expect(lines.join(' ')).toContain('· owner@example.com');
    expect(lines.slice(1).every((l) => l.startsWith('   '))).toBe(true);
    expect(truncateTo('abcdef', 4)).toBe('abc…');
  });

  it('drops columns in order, then abbreviates headers, then shrinks the name column', () => {
    const columns: Column[] = [
      { header: 'Metric', align: 'left', shrink: { min: 6 } },
      { header: 'Owner', align: 'left', drop: 1 },
      { header: 'This week', short: 'This wk', align: 'right' },
      { header: 'Trend', align: 'left', drop: 2 },
    ];
    const rows = [['Conversations with decision maker', 'inside-sales@example.com', '12', '▁▂▃▄▅▆▇█']];
    const header = (width: number | null) => fitTable(columns, rows, width)[0];
    expect(header(null)).toBe('Metric                             Owner                     This week  Trend');
    expect(header(60)).toBe('Metric                             This week  Trend');
    expect(header(45)).toBe('Metric                             This week');
    const narrow = fitTable(columns, rows, 30);
    expect(narrow).toEqual([`${'Metric'.padEnd(21)}  This wk`, `Conversations with d…  ${'12'.padStart(7)}`]);
    expect(narrow.every((l) => displayWidth(l) <= 30)).toBe(true);
  });

  it('reads the terminal width, else COLUMNS, else 100', () => {
    expect(terminalWidth({ isTTY: true, columns: 72 }, { COLUMNS: '80' })).toBe(72);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth({}, {})).toBe(100);
  });
});
