import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import { createIntercomSource } from '../../../src/integrations/intercom/index.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { addDays, localDayOf } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakeIntercom, type FakeConversation } from './fake-intercom.js';

/**
 * The acceptance of late changes for Intercom, against a stateful loopback Intercom: conversations reassigned to and
 * from an excluded teammate, and one replied to (its SLA marked missed) six weeks after its day, change exactly that
 * day on the next plain refresh (the change scan read through two pages and a 429); a second plain refresh and a
 * full re-collection then change nothing, and every day equals the figures computed straight from the conversations.
 */

const TZ = 'America/Chicago';
const BOSS = 9001;
const FIRST_DAY = '2026-10-01';
const env = { INTERCOM_ACCESS_TOKEN: 'ic-late-dG9rOmxhdGU=' };
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const metric = (kind: string, unit: 'count' | 'hours', aggregate: 'sum' | 'ratio') => ({
  name: kind,
  unit,
  aggregate,
  source: 'intercom',
  query: { kind },
  definition: 'd',
  why: 'w',
  calculation: 'c',
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  groups: [{ id: 'support', name: 'Support', metrics: ['conversations', 'first_response', 'sla_breaches'] }],
  metrics: {
    conversations: metric('conversations', 'count', 'sum'),
    first_response: metric('first_response', 'hours', 'ratio'),
    sla_breaches: metric('sla_breaches', 'count', 'sum'),
  },
  support: { excluded_owners: [String(BOSS)] },
  sources: { intercom: { per_page: 2 } },
});

const conversation = (id: string, created: string, fields: Partial<FakeConversation> = {}): FakeConversation => ({
  id,
  created_at: at(created),
  updated_at: at(created),
  state: 'closed',
  admin_assignee_id: 501,
  reply_seconds: 3600,
  sla_status: null,
  ...fields,
});

function seed(fake: FakeIntercom): void {
  fake.conversation(conversation('c1', '2026-10-05T15:00:00Z'));
  fake.conversation(conversation('c2', '2026-10-20T15:00:00Z', { reply_seconds: 7200, sla_status: 'hit' }));
  fake.conversation(conversation('c3', '2026-10-12T15:00:00Z', { state: 'open', reply_seconds: null, sla_status: 'active' }));
  fake.conversation(conversation('c4', '2026-10-25T15:00:00Z', { admin_assignee_id: BOSS, reply_seconds: 1800 }));
  fake.conversation(conversation('c5', '2026-11-02T16:00:00Z', { reply_seconds: 600, sla_status: 'missed' }));
}

/** The figures straight from the conversations: what every stored day must equal. */
function truth(fake: FakeIntercom, last: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let d = FIRST_DAY; d <= last; d = addDays(d, 1)) {
    out.set(`conversations ${d}`, 0);
    out.set(`sla_breaches ${d}`, 0);
  }
  const replies = new Map<string, [number, number]>();
  for (const c of fake.conversations.values()) {
    if (c.admin_assignee_id === BOSS) continue;
    const day = localDayOf(new Date(c.created_at * 1000), TZ);
    out.set(`conversations ${day}`, out.get(`conversations ${day}`)! + 1);
    if (c.sla_status === 'missed') out.set(`sla_breaches ${day}`, out.get(`sla_breaches ${day}`)! + 1);
    if (c.reply_seconds !== null) {
      const [hours, count] = replies.get(day) ?? [0, 0];
      replies.set(day, [hours + c.reply_seconds / 3600, count + 1]);
    }
  }
  for (const [d, [hours, count]] of replies) out.set(`first_response ${d}`, hours / count);
  return out;
}

describe.each(storeKinds())('Intercom late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const source = createIntercomSource({ sleep: async () => undefined, random: () => 0.5 });
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

  async function history(fake: FakeIntercom): Promise<void> {
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await storedValues()).toEqual(truth(fake, '2026-11-24'));
  }

  it('corrects exactly the creation days of conversations reassigned or replied to late; a second and a full refresh change nothing', async () => {
    const fake = new FakeIntercom();
    seed(fake);
    fake.start();
    await history(fake);
    const before = await stored();

    fake.edit('c2', at('2026-11-25T16:00:00Z'), { admin_assignee_id: BOSS });
    fake.conversation(conversation('c6', '2026-11-26T15:00:00Z'));
    fake.edit('c3', at('2026-11-27T16:00:00Z'), {
      reply_seconds: at('2026-11-27T16:00:00Z') - at('2026-10-12T15:00:00Z'),
      sla_status: 'missed',
    });
    fake.edit('c4', at('2026-11-28T16:00:00Z'), { admin_assignee_id: 501 });
    fake.edit('c1', at('2026-11-29T16:00:00Z'), { state: 'open' });
    fake.rateLimitChangeScans = 1;
    const scansBefore = fake.changeScans().length;

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(plain.results[0]!.rateLimited).toBe(1);
    const late = plain.results[0]!.late!;
    expect(late.recollected).toEqual(['2026-10-05', '2026-10-12', '2026-10-20', '2026-10-25']);
    expect(late.corrected).toEqual(['2026-10-12', '2026-10-20', '2026-10-25']);
    expect(late.reasons).toEqual(['4 conversations changed after their day']);
    expect(formatRefreshSummary(plain)).toContain('3 old days corrected (intercom: 4 conversations changed after their day)');

    // The scan: the 429, then two pages of two; only conversations created before the window (06:00Z is midnight CST).
    const scans = fake.changeScans().slice(scansBefore);
    expect(scans).toHaveLength(3);
    expect(scans[0]!.query.value).toEqual([
      { field: 'updated_at', operator: '>', value: String(at('2026-11-24T18:50:00Z') - 1) },
      { field: 'created_at', operator: '<', value: String(at('2026-11-24T06:00:00Z')) },
    ]);
    expect(scans[2]!.pagination.starting_after).toBeDefined();

    const after = await stored();
    const window = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !window(key) && after.get(key) !== before.get(key));
    expect(moved.sort()).toEqual([
      'conversations 2026-10-20',
      'conversations 2026-10-25',
      'first_response 2026-10-12',
      'first_response 2026-10-20',
      'first_response 2026-10-25',
      'sla_breaches 2026-10-12',
    ]);
    expect(after.get('first_response 2026-10-20')).toBeUndefined();
    expect(after.get('sla_breaches 2026-10-12')).toBe('1|null|null');
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
    const fake = new FakeIntercom();
    seed(fake);
    fake.start();
    await history(fake);

    fake.edit('c2', at('2026-11-25T16:00:00Z'), { admin_assignee_id: BOSS });
    fake.changeScansDown = true;
    const failed = await run('2026-11-26T20:00:00Z');
    expect(failed.results[0]!.status).toBe('failed');
    expect((await stored()).get('conversations 2026-10-20')).toBe('1|null|null');

    fake.changeScansDown = false;
    const next = await run('2026-11-26T21:00:00Z');
    expect(next.ok).toBe(true);
    expect(next.results[0]!.late!.corrected).toEqual(['2026-10-20']);
    expect(await storedValues()).toEqual(truth(fake, '2026-11-26'));
  });
});
