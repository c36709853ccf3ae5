import { describe, expect, it } from 'vitest';
import { addRows, columnsOf, queryParameters } from '../../../src/integrations/bigquery/map.js';
import type { CollectedValue } from '../../../src/integrations/source.js';

describe('BigQuery mappers', () => {
  it('sends only the parameters the SQL names', () => {
    expect(queryParameters('SELECT @from AS day, 1 AS value', '2026-11-01', '2026-11-07', 'America/Chicago').map((p) => p.name)).toEqual([
      'from',
    ]);
    expect(() => queryParameters('SELECT 1', "2026-11-01'", '2026-11-07', 'UTC')).toThrow(/not a day/);
  });

  it('checks the column contract and names the metric', () => {
    expect(
      columnsOf('m', [
        { name: 'VALUE', type: 'FLOAT' },
        { name: 'day', type: 'DATE' },
      ]),
    ).toEqual({ day: 1, value: 0 });
    expect(() =>
      columnsOf('m', [
        { name: 'day', type: 'TIMESTAMP' },
        { name: 'value', type: 'FLOAT' },
      ]),
    ).toThrow('metrics.m.query.sql: column "day" is TIMESTAMP, not DATE');
    expect(() =>
      columnsOf('m', [
        { name: 'day', type: 'DATE' },
        { name: 'value', type: 'STRING' },
      ]),
    ).toThrow('not a number');
    expect(() =>
      columnsOf('m', [
        { name: 'day', type: 'DATE' },
        { name: 'value', type: 'FLOAT' },
        { name: 'numerator', type: 'INTEGER' },
      ]),
    ).toThrow('return both numerator and denominator');
  });

  it('refuses a day twice and skips days outside the window', () => {
    const byDay = new Map<string, CollectedValue>();
    const columns = { day: 0, value: 1 };
    addRows(
      'm',
      [{ f: [{ v: '2026-10-31' }, { v: '9' }] }, { f: [{ v: '2026-11-01' }, { v: '2.5' }] }],
      columns,
      '2026-11-01',
      '2026-11-07',
      byDay,
    );
    expect([...byDay.values()]).toEqual([{ metricId: 'm', day: '2026-11-01', value: 2.5 }]);
    expect(() => addRows('m', [{ f: [{ v: '2026-11-01' }, { v: '1' }] }], columns, '2026-11-01', '2026-11-07', byDay)).toThrow(
      'day 2026-11-01 appears twice',
    );
  });
});
