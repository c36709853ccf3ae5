import { describe, it, expect } from 'vitest';
import { parseAdSpendCsv } from '../../../src/integrations/import/ad-spend.js';

describe('parseAdSpendCsv', () => {
  it('sums channels per day in exact cents, in any column order, with quoted fields', () => {
    const csv = [
      'channel,spend_usd,date,campaign',
      'google,0.10,2026-11-16,x',
      '"Meta, paid social",0.20,2026-11-16,y',
      'google,"1,250.55",2026-11-17,z',
      '',
    ].join('\n');
    const result = parseAdSpendCsv(csv);
    expect(result).toEqual({
      ok: true,
      rows: 3,
      days: [
        { day: '2026-11-16', spend: 0.3, channels: ['Meta, paid social', 'google'] },
        { day: '2026-11-17', spend: 1250.55, channels: ['google'] },
      ],
      byChannel: [
        { day: '2026-11-16', channel: 'google', spend: 0.1 },
        { day: '2026-11-16', channel: 'Meta, paid social', spend: 0.2 },
        { day: '2026-11-17', channel: 'google', spend: 1250.55 },
      ],
    });
  });

  it('names the missing columns', () => {
    expect(parseAdSpendCsv('day,spend\n2026-11-16,3')).toEqual({
      ok: false,
      errors: ['line 1: missing columns date, channel, spend_usd (expected a header like date,channel,spend_usd)'],
    });
  });

  it('lists every bad line and keeps nothing', () => {
    const result = parseAdSpendCsv(
      'date,channel,spend_usd\n2026-11-16,google,12\n16/11/2026,meta,3\n2026-11-17,meta,-4\n2026-11-18,meta,\n',
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        'line 3: date must be YYYY-MM-DD — found "16/11/2026"',
        'line 4: spend_usd must be a number ≥ 0 — found "-4"',
        'line 5: spend_usd must be a number ≥ 0 — found ""',
      ],
    });
  });
});

describe('parseAdSpendCsv: strict input', () => {
  it('takes plain decimals only and real calendar days from 2000 up to today', () => {
    const csv = [
      'date,channel,spend_usd',
      '2026-11-16,google,0x10',
      '2026-11-16,google,1e1',
      '2026-11-16,google,+5',
      '2026-11-16,google,5.',
      '2026-11-16,google,.5',
      '2026-11-16,google,1.005',
      '2026-02-31,google,3',
      '1999-12-31,google,3',
      '2026-11-20,google,3',
      '2026-11-16,google,"$1,234.50"',
    ].join('\n');
    const result = parseAdSpendCsv(csv, { today: '2026-11-17' });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.split(':')[0])).toEqual([
      'line 2',
      'line 3',
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
      'line 10',
    ]);
    expect(errors[6]).toContain('not a date on the calendar');
    expect(errors[7]).toContain('before 2000-01-01');
    expect(errors[8]).toContain('in the future');
  });
});

describe('parseAdSpendCsv with today', () => {
  it('refuses rows dated after today, as log does, and imports nothing', () => {
    const csv = 'date,channel,spend_usd\n2026-11-16,google,10\n2026-11-17,google,5\n';
    const refused = parseAdSpendCsv(csv, { today: '2026-11-16' });
    expect(refused).toMatchObject({ ok: false, errors: [expect.stringMatching(/^line 3: date "2026-11-17": .*in the future/)] });
    expect(parseAdSpendCsv(csv, { today: '2026-11-17' })).toMatchObject({ ok: true, rows: 2 });
  });
});
