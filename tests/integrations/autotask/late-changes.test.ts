import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import { createAutotaskSource } from '../../../src/integrations/autotask/index.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { addDays, localDayOf } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import type { Store } from '../../../src/store/db.js';
import { openTempStore } from '../../helpers/tmp-store.js';
import { FAKE_BASE, FakeAutotask, type FakeRecord } from './fake-autotask.js';

/**
 * The acceptance of late changes for Autotask, against a stateful loopback Autotask: a ticket moved out of the
 * queue 20 days after its creation and a ticket reopened and closed again 8 weeks after its first completion (and a
 * time entry logged five weeks late) change exactly the old days they touch on the next plain refresh; a second
 * refresh and a full re-collection of the range then change nothing, and every day equals the figures computed
 * directly from the records.
 */

const TZ = 'America/Chicago';
const QUEUE = 8;
const OTHER_QUEUE = 29683;
const COMPLETE = 5;
const TECH = 29682885;
const FIRST_DAY = '2026-09-28';
const env = {
  AUTOTASK_USERNAME: 'apiuser@example.com',
  AUTOTASK_SECRET: 'Sup3r$ecret/AutotaskKey+9',
  AUTOTASK_INTEGRATION_CODE: 'TRACKINGID7H3QZ1',
  AUTOTASK_BASE_URL: FAKE_BASE,
};

const metric = (kind: string, unit: 'count' | 'percent', aggregate: 'sum' | 'ratio') => ({
  name: kind,
  unit,
  aggregate,
  source: 'autotask',
  query: { kind },
  definition: 'd',
  why: 'w',
  calculation: 'c',
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  groups: [{ id: 'ops', name: 'Ops', metrics: ['tickets_opened', 'tickets_closed', 'same_day_close_rate', 'utilization'] }],
  metrics: {
    tickets_opened: metric('tickets_opened', 'count', 'sum'),
    tickets_closed: metric('tickets_closed', 'count', 'sum'),
    same_day_close_rate: metric('same_day_close_rate', 'percent', 'ratio'),
    utilization: metric('utilization', 'percent', 'ratio'),
  },
  sources: { autotask: { queue: { id: QUEUE }, resources: [TECH] } },
});

const ticket = (createDate: string, fields: FakeRecord = {}): FakeRecord => ({
  createDate,
  completedDate: null,
  status: 1,
  queueID: QUEUE,
  lastTrackedModificationDateTime: createDate,
  lastActivityDate: createDate,
  ...fields,
});
const entry = (dateWorked: string, hoursWorked: number, isNonBillable: boolean, lastModifiedDateTime: string, resourceID = TECH) => ({
  resourceID,
  dateWorked: `${dateWorked}T00:00:00`,
  hoursWorked,
  isNonBillable,
  lastModifiedDateTime,
});

function seed(fake: FakeAutotask): void {
  fake.ticket(101, ticket('2026-10-01T15:00:00Z', { completedDate: '2026-10-05T16:00:00Z', status: COMPLETE }));
  fake.ticket(102, ticket('2026-11-05T15:00:00Z'));
  fake.ticket(103, ticket('2026-10-05T14:00:00Z', { completedDate: '2026-10-05T20:00:00Z', status: COMPLETE }));
  fake.ticket(104, ticket('2026-11-20T15:00:00Z', { completedDate: '2026-11-21T15:00:00Z', status: COMPLETE }));
  fake.ticket(105, ticket('2026-11-05T16:00:00Z', { queueID: OTHER_QUEUE }));
  fake.ticket(106, ticket('2026-10-20T15:00:00Z'));
  // 23:30 local on 31 October is already 1 November in UTC: counted on its local day.
  fake.ticket(107, ticket('2026-11-01T04:30:00Z', { completedDate: '2026-11-01T05:00:00Z', status: COMPLETE }));
  fake.timeEntry(1, entry('2026-10-20', 6, false, '2026-10-20T22:00:00Z'));
  fake.timeEntry(2, entry('2026-10-20', 2, true, '2026-10-20T22:00:00Z'));
  fake.timeEntry(3, entry('2026-11-24', 8, false, '2026-11-24T22:00:00Z'));
  fake.timeEntry(4, entry('2026-10-21', 5, false, '2026-10-21T22:00:00Z', 999));
}

/** The figures straight from the records, independent of the source: what every stored day must equal. */
function truth(fake: FakeAutotask, last: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (key: string, by: number) => out.set(key, (out.get(key) ?? 0) + by);
  const day = (at: string) => localDayOf(new Date(at.endsWith('Z') ? at : `${at}Z`), TZ);
  for (let d = FIRST_DAY; d <= last; d = addDays(d, 1)) {
    out.set(`tickets_opened ${d}`, 0);
    out.set(`tickets_closed ${d}`, 0);
  }
  const sameDay = new Map<string, [number, number]>();
  for (const t of fake.tickets.values()) {
    if (t.queueID !== QUEUE) continue;
    add(`tickets_opened ${day(String(t.createDate))}`, 1);
    if (t.status !== COMPLETE || !t.completedDate) continue;
    const closed = day(String(t.completedDate));
    add(`tickets_closed ${closed}`, 1);
    const [same, all] = sameDay.get(closed) ?? [0, 0];
    sameDay.set(closed, [same + (day(String(t.createDate)) === closed ? 1 : 0), all + 1]);
  }
  for (const [d, [same, all]] of sameDay) out.set(`same_day_close_rate ${d}`, (100 * same) / all);
  const hours = new Map<string, [number, number]>();
  for (const e of fake.timeEntries.values()) {
    if (e.resourceID !== TECH) continue;
    const d = String(e.dateWorked).slice(0, 10);
    const [billable, total] = hours.get(d) ?? [0, 0];
    hours.set(d, [billable + (e.isNonBillable ? 0 : Number(e.hoursWorked)), total + Number(e.hoursWorked)]);
  }
  for (const [d, [billable, total]] of hours) out.set(`utilization ${d}`, (100 * billable) / total);
  return out;
}

describe('Autotask late changes', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const logs: string[] = [];

  beforeEach(async () => {
    nock.disableNetConnect();
    ({ store, cleanup } = await openTempStore());
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await cleanup();
  });

  const source = createAutotaskSource({ sleep: async () => undefined, random: () => 0.5 });
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    }),
  );
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh({ store, config, env, logger, now: new Date(now), sources: [source] }, opts);
  const stored = async () =>
    new Map(
      (await getDailyValues(store, Object.keys(config.metrics), FIRST_DAY, '2026-12-31')).map((row) => [
        `${row.metric_id} ${row.day}`,
        `${row.value}|${row.numerator}|${row.denominator}`,
      ]),
    );
  const storedValues = async () => new Map([...(await stored())].map(([key, text]) => [key, Number(text.split('|')[0])]));

  it('corrects exactly the old days a move, a reopen and a late time entry touch; a second and a full refresh change nothing', async () => {
    const fake = new FakeAutotask();
    seed(fake);
    fake.start();

    // History: the range collected once, then a plain refresh that starts the cursors.
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await storedValues()).toEqual(truth(fake, '2026-11-24'));
    const before = await stored();

    // 20 days after its creation ticket 102 leaves the queue; 8 weeks after its completion ticket 101 is
    // reopened and closed again; a time entry for 20 October is logged five weeks late.
    fake.editTicket(102, '2026-11-25T16:00:00Z', { queueID: OTHER_QUEUE });
    fake.timeEntry(5, entry('2026-10-20', 2, false, '2026-11-28T15:00:00Z'));
    fake.editTicket(101, '2026-11-30T17:30:00Z', { completedDate: '2026-11-30T17:00:00Z', status: COMPLETE });

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    const late = plain.results[0]!.late!;
    expect(late.recollected).toEqual(['2026-10-01', '2026-10-05', '2026-10-20', '2026-11-05']);
    expect(late.corrected).toEqual(['2026-10-05', '2026-10-20', '2026-11-05']);
    expect(late.reasons).toEqual([
      '1 ticket reopened and closed again',
      '1 ticket moved out of the queue',
      '1 time entry logged or changed late',
    ]);
    expect(formatRefreshSummary(plain)).toContain(
      '3 old days corrected (autotask: 1 ticket reopened and closed again, 1 ticket moved out of the queue, 1 time entry logged or changed late)',
    );

    const after = await stored();
    const window = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...after.keys()].filter((key) => !window(key) && after.get(key) !== before.get(key)).sort();
    expect(moved).toEqual([
      'same_day_close_rate 2026-10-05',
      'tickets_closed 2026-10-05',
      'tickets_opened 2026-11-05',
      'utilization 2026-10-20',
    ]);
    expect(after.get('tickets_closed 2026-10-05')).toBe('1|null|null');
    expect(after.get('same_day_close_rate 2026-10-05')).toBe('100|1|1');
    expect(after.get('tickets_opened 2026-11-05')).toBe('0|null|null');
    expect(after.get('utilization 2026-10-20')).toBe('80|8|10');
    // Counted once, on its last completion day.
    expect(after.get('tickets_closed 2026-11-30')).toBe('1|null|null');
    expect(await storedValues()).toEqual(truth(fake, '2026-11-30'));

    const again = await run('2026-11-30T21:00:00Z');
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);

    const full = await run('2026-11-30T22:00:00Z', { full: true, from: FIRST_DAY });
    expect(full.ok).toBe(true);
    expect(full.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);

    // The cursor scan reads every changed ticket whatever its queue: the queue filter would hide a ticket that left it.
    const scans = fake.queries.filter((q) => q.entity === 'Tickets' && q.body.Filter.some((f) => f.op === 'or'));
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan.body.Filter.some((f) => f.field === 'queueID')).toBe(false);
  });
});
