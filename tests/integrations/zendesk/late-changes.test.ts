import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import { createZendeskSource } from '../../../src/integrations/zendesk/index.js';
import { reasonFor, ticketDaysNow } from '../../../src/integrations/zendesk/late.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { addDays, localDayOf } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakeZendesk, type FakeTicket } from './fake-zendesk.js';

/**
 * The acceptance of late changes for Zendesk, against a stateful loopback Zendesk: tickets reassigned to and from an
 * excluded owner, reopened, and reopened and solved again weeks after their days change exactly the old days they
 * touch, their SLA breach days included, on the next plain refresh (the change scan read through three pages and a
 * 429); a second plain refresh and
 * a full re-collection then change nothing, and every day equals the figures computed straight from the tickets.
 */

const TZ = 'America/Chicago';
const BOSS = 9001;
const EXCLUDED_GROUP = 7;
const FIRST_DAY = '2026-10-01';
const env = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'agent@acme.test', ZENDESK_API_TOKEN: 'zd-T0ken-late-9Xq2' };

const metric = (kind: string, unit: 'count' | 'hours', aggregate: 'sum' | 'ratio') => ({
  name: kind,
  unit,
  aggregate,
  source: 'zendesk',
  query: { kind },
  definition: 'd',
  why: 'w',
  calculation: 'c',
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  groups: [{ id: 'support', name: 'Support', metrics: ['tickets_created', 'tickets_solved', 'first_reply_time', 'sla_breaches'] }],
  metrics: {
    tickets_created: metric('tickets_created', 'count', 'sum'),
    tickets_solved: metric('tickets_solved', 'count', 'sum'),
    first_reply_time: metric('first_reply_time', 'hours', 'ratio'),
    sla_breaches: metric('sla_breaches', 'count', 'sum'),
  },
  support: { excluded_owners: [String(BOSS)] },
  sources: { zendesk: { excluded_groups: [String(EXCLUDED_GROUP)] } },
});

const ticket = (id: number, created_at: string, fields: Partial<FakeTicket> = {}): FakeTicket => ({
  id,
  created_at,
  updated_at: created_at,
  status: 'open',
  assignee_id: 501,
  group_id: 1,
  solved_at: null,
  replies: 1,
  reply_seconds: 3600,
  ...fields,
});

function seed(fake: FakeZendesk): void {
  fake.ticket(ticket(201, '2026-10-05T15:00:00Z', { status: 'solved', solved_at: '2026-10-06T15:00:00Z' }));
  fake.ticket(ticket(202, '2026-10-20T15:00:00Z', { reply_seconds: 7200 }));
  fake.ticket(ticket(203, '2026-11-02T16:00:00Z', { status: 'solved', solved_at: '2026-11-02T20:00:00Z', reply_seconds: 1800 }));
  fake.ticket(
    ticket(205, '2026-10-12T15:00:00Z', { assignee_id: BOSS, status: 'solved', solved_at: '2026-10-13T15:00:00Z', reply_seconds: 5400 }),
  );
  fake.ticket(ticket(206, '2026-10-25T15:00:00Z', { group_id: EXCLUDED_GROUP }));
  fake.ticket(ticket(207, '2026-10-28T15:00:00Z', { replies: 0, reply_seconds: 0 }));
  // 202's first reply breached its target the day after creation; 207 breached one too.
  fake.breaches.push({ ticket_id: 202, metric: 'reply_time', time: '2026-10-21T15:00:00Z' });
  fake.breaches.push({ ticket_id: 207, metric: 'reply_time', time: '2026-10-29T15:00:00Z' });
}

/** The figures straight from the tickets, independent of the source: what every stored day must equal. */
function truth(fake: FakeZendesk, last: string): Map<string, number> {
  const out = new Map<string, number>();
  const day = (at: string) => localDayOf(new Date(at), TZ);
  for (let d = FIRST_DAY; d <= last; d = addDays(d, 1)) {
    out.set(`tickets_created ${d}`, 0);
    out.set(`tickets_solved ${d}`, 0);
    out.set(`sla_breaches ${d}`, 0);
  }
  for (const breach of fake.breaches) {
    const t = fake.tickets.get(breach.ticket_id)!;
    if (t.assignee_id === BOSS || t.group_id === EXCLUDED_GROUP) continue;
    out.set(`sla_breaches ${day(breach.time)}`, out.get(`sla_breaches ${day(breach.time)}`)! + 1);
  }
  const replies = new Map<string, [number, number]>();
  for (const t of fake.tickets.values()) {
    if (t.status === 'deleted' || t.assignee_id === BOSS || t.group_id === EXCLUDED_GROUP) continue;
    out.set(`tickets_created ${day(t.created_at)}`, out.get(`tickets_created ${day(t.created_at)}`)! + 1);
    if ((t.status === 'solved' || t.status === 'closed') && t.solved_at) {
      out.set(`tickets_solved ${day(t.solved_at)}`, out.get(`tickets_solved ${day(t.solved_at)}`)! + 1);
    }
    if (t.replies > 0) {
      const [hours, count] = replies.get(day(t.created_at)) ?? [0, 0];
      replies.set(day(t.created_at), [hours + t.reply_seconds / 3600, count + 1]);
    }
  }
  for (const [d, [hours, count]] of replies) out.set(`first_reply_time ${d}`, hours / count);
  return out;
}

describe.each(storeKinds())('Zendesk late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const source = createZendeskSource({ sleep: async () => undefined, random: () => 0.5 });
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh({ store: temp.store, config, env, logger: pino({ level: 'silent' }), now: new Date(now), sources: [source] }, opts);
  const stored = async () =>
    new Map(
      (await getDailyValues(temp.store, Object.keys(config.metrics), FIRST_DAY, '2026-12-31')).map((row) => [
        `${row.metric_id} ${row.day}`,
        `${row.value}|${row.numerator}|${row.denominator}`,
      ]),
    );
  const storedValues = async () => new Map([...(await stored())].map(([key, text]) => [key, Number(text.split('|')[0])]));

  /** The range collected once, then a plain refresh that starts the cursor. */
  async function history(fake: FakeZendesk): Promise<void> {
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await storedValues()).toEqual(truth(fake, '2026-11-24'));
  }

  it('corrects exactly the days reassignments, reopens and a late solve touch; a second and a full refresh change nothing', async () => {
    const fake = new FakeZendesk();
    seed(fake);
    fake.start();
    await history(fake);
    const before = await stored();

    fake.edit(202, '2026-11-25T16:00:00Z', { assignee_id: BOSS });
    fake.ticket(ticket(204, '2026-11-26T15:00:00Z', { replies: 0, reply_seconds: 0 }));
    fake.edit(203, '2026-11-27T16:00:00Z', { status: 'open' });
    fake.edit(205, '2026-11-28T16:00:00Z', { assignee_id: 501 });
    fake.edit(201, '2026-11-30T17:30:00Z', { solved_at: '2026-11-30T17:00:00Z' });
    fake.rateLimitIncremental = 1;
    const scansBefore = fake.incrementalCalls().length;

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(plain.results[0]!.rateLimited).toBe(1);
    const late = plain.results[0]!.late!;
    // 202's breach day (21 October) comes from the breach index: the ticket itself says nothing of it.
    expect(late.recollected).toEqual(['2026-10-05', '2026-10-06', '2026-10-12', '2026-10-13', '2026-10-20', '2026-10-21', '2026-11-02']);
    expect(late.corrected).toEqual(['2026-10-06', '2026-10-12', '2026-10-13', '2026-10-20', '2026-10-21', '2026-11-02']);
    expect(late.reasons).toEqual(['2 tickets changed late', '1 ticket reopened', '1 ticket reopened and solved again']);
    expect(formatRefreshSummary(plain)).toContain(
      '6 old days corrected (zendesk: 2 tickets changed late, 1 ticket reopened, 1 ticket reopened and solved again)',
    );

    // The scan: the 429, then five changed tickets two to a page, the sideload kept on every page.
    const scans = fake.incrementalCalls().slice(scansBefore);
    expect(scans).toHaveLength(4);
    expect(scans[0]!.searchParams.get('start_time')).toBe(String(Date.parse('2026-11-24T18:50:00Z') / 1000));
    expect(scans.slice(2).every((url) => url.searchParams.has('cursor'))).toBe(true);
    expect(scans.every((url) => url.searchParams.get('include') === 'metric_sets')).toBe(true);

    const after = await stored();
    const window = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !window(key) && after.get(key) !== before.get(key));
    expect(moved.sort()).toEqual([
      'first_reply_time 2026-10-12',
      'first_reply_time 2026-10-20',
      'sla_breaches 2026-10-21',
      'tickets_created 2026-10-12',
      'tickets_created 2026-10-20',
      'tickets_solved 2026-10-06',
      'tickets_solved 2026-10-13',
      'tickets_solved 2026-11-02',
    ]);
    expect(after.get('first_reply_time 2026-10-20')).toBeUndefined();
    expect(after.get('first_reply_time 2026-10-12')).toBe('1.5|1.5|1');
    // Counted once, on its last solved day.
    expect(after.get('tickets_solved 2026-11-30')).toBe('1|null|null');
    expect(await storedValues()).toEqual(truth(fake, '2026-11-30'));

    const again = await run('2026-11-30T21:00:00Z');
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);

    const full = await run('2026-11-30T22:00:00Z', { full: true, from: FIRST_DAY });
    expect(full.ok).toBe(true);
    expect(full.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);
  });

  it('keeps the cursor when the change scan fails: the next refresh still corrects the day', async () => {
    const fake = new FakeZendesk();
    seed(fake);
    fake.start();
    await history(fake);

    fake.edit(202, '2026-11-25T16:00:00Z', { assignee_id: BOSS });
    fake.incrementalDown = true;
    const failed = await run('2026-11-26T20:00:00Z');
    expect(failed.results[0]!.status).toBe('failed');
    expect((await stored()).get('tickets_created 2026-10-20')).toBe('1|null|null');

    fake.incrementalDown = false;
    const next = await run('2026-11-26T21:00:00Z');
    expect(next.ok).toBe(true);
    expect(next.results[0]!.late!.corrected).toEqual(['2026-10-20', '2026-10-21']);
    expect(await storedValues()).toEqual(truth(fake, '2026-11-26'));
  });
});

describe('Zendesk changed-ticket days', () => {
  const changed = (status: string) => ({ id: 1, created_at: '2026-11-01T04:30:00Z', status });
  const metricSet = { ticket_id: 1, created_at: '2026-11-01T04:30:00Z', solved_at: '2026-11-02T05:30:00Z' };

  it('counts a ticket on its local creation day, and its solved day only while solved or closed; a deleted one nowhere', () => {
    // 04:30Z on 1 November is 23:30 on 31 October in Chicago; 05:30Z on 2 November is still 1 November (CST).
    expect(ticketDaysNow(changed('solved'), metricSet, TZ)).toEqual(['2026-10-31', '2026-11-01']);
    expect(ticketDaysNow(changed('closed'), metricSet, TZ)).toEqual(['2026-10-31', '2026-11-01']);
    expect(ticketDaysNow(changed('open'), metricSet, TZ)).toEqual(['2026-10-31']);
    expect(ticketDaysNow(changed('solved'), undefined, TZ)).toEqual(['2026-10-31']);
    expect(ticketDaysNow(changed('deleted'), metricSet, TZ)).toBeUndefined();
  });

  it('names why the days moved', () => {
    expect(reasonFor(['2026-10-01'], undefined)).toBe('deleted');
    expect(reasonFor(['2026-10-01'], ['2026-10-02'])).toBe('re-dated');
    expect(reasonFor(['2026-10-01', '2026-10-03'], ['2026-10-01'])).toBe('reopened');
    expect(reasonFor(['2026-10-01', '2026-10-03'], ['2026-10-01', '2026-11-30'])).toBe('reopened and solved again');
    expect(reasonFor(['2026-10-01'], ['2026-10-01', '2026-11-30'])).toBe('solved late');
    expect(reasonFor(['2026-10-01'], ['2026-10-01'])).toBe('changed late');
    expect(reasonFor(undefined, ['2026-10-01'])).toBe('changed late');
  });
});
