import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { metricsOf } from '../../../src/metrics/catalog.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { getSyncState } from '../../../src/store/sync-state.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakePortal, WON_STAGE } from './fake-portal.js';
import { OWNERS, TOKEN, hubspotContext, makeConfig, memoryLogger, testSource } from './helpers.js';

/**
 * HubSpot's modification cursor against a stateful portal: a deal whose close date moved back 30 days, a call logged
 * five weeks late, a meeting rescheduled and a call handed to another rep each move exactly their old days on the
 * next plain refresh; a second refresh changes nothing, and a full re-collection agrees with every stored figure.
 * A 429 during the scan is waited out; a scan that fails leaves the cursor where it was.
 */

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const FIRST_DAY = '2026-10-01';
const team = 'inside-sales@example.com';
const config = makeConfig(
  {
    dials: { owner: team, query: { object: 'calls' } },
    dials_ava: { owner: OWNERS.ava.email, query: { object: 'calls' } },
    dials_ben: { owner: OWNERS.ben.email, query: { object: 'calls' } },
    ftas_set: { owner: team, query: { object: 'meetings', by: 'created' } },
    ftas_attended: { owner: team, query: { object: 'meetings', by: 'attended' } },
    mrr_closed: { owner: team, unit: 'currency', query: { object: 'deals' } },
  },
  { owners: [OWNERS.ava.email, OWNERS.ben.email] },
);

function seed(): FakePortal {
  const fake = new FakePortal();
  const modified = '2026-10-01T12:00:00Z';
  const call = (id: string, at: string, owner: string) =>
    fake.put('calls', id, { hs_timestamp: at, hubspot_owner_id: owner, hs_lastmodifieddate: modified });
  call('1', '2026-10-06T15:00:00Z', OWNERS.ava.id);
  call('2', '2026-10-08T15:00:00Z', OWNERS.ava.id);
  call('3', '2026-10-08T16:00:00Z', OWNERS.ava.id);
  call('4', '2026-11-25T15:00:00Z', OWNERS.ben.id);
  fake.put('meetings', '31', {
    hs_createdate: '2026-10-05T15:00:00Z',
    hs_meeting_start_time: '2026-10-15T15:00:00Z',
    hs_meeting_outcome: 'COMPLETED',
    hubspot_owner_id: OWNERS.ben.id,
    hs_lastmodifieddate: modified,
  });
  const deal = (id: string, closedate: string, mrr: string) =>
    fake.put('deals', id, {
      closedate,
      dealstage: WON_STAGE,
      mrr,
      amount: null,
      hubspot_owner_id: OWNERS.ava.id,
      hs_lastmodifieddate: modified,
    });
  deal('21', '2026-11-10T17:00:00Z', '500');
  deal('22', '2026-10-20T17:00:00Z', '300');
  return fake;
}

describe.each(storeKinds())('HubSpot late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  const source = testSource().source;
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh(
      {
        store: temp.store,
        config,
        env: { HUBSPOT_ACCESS_TOKEN: TOKEN },
        logger: memoryLogger().logger,
        now: new Date(now),
        sources: [source],
      },
      opts,
    );
  const stored = async () =>
    new Map(
      (await getDailyValues(temp.store, Object.keys(config.metrics), FIRST_DAY, '2026-12-31')).map((row) => [
        `${row.metric_id} ${row.day}`,
        row.value,
      ]),
    );

  /** The range collected once, then a plain refresh that starts the cursors. */
  async function history(fake: FakePortal) {
    fake.serve();
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await getSyncState(temp.store, 'hubspot.cursor.calls')).toBe('2026-11-24T19:00:00.000Z');
  }

  it('moves exactly the days a re-dated deal, a late call, a rescheduled meeting and a new owner touch', async () => {
    const fake = seed();
    await history(fake);
    const before = await stored();

    fake.edit('deals', '21', { closedate: '2026-10-11T17:00:00Z' }, '2026-11-26T16:00:00Z'); // back 30 days
    fake.put('calls', '5', {
      hs_timestamp: '2026-10-20T15:00:00Z',
      hubspot_owner_id: OWNERS.ben.id,
      hs_lastmodifieddate: '2026-11-28T15:00:00Z',
    });
    fake.edit('meetings', '31', { hs_meeting_start_time: '2026-10-22T15:00:00Z' }, '2026-11-27T15:00:00Z');
    fake.edit('calls', '3', { hubspot_owner_id: OWNERS.ben.id }, '2026-11-30T19:55:00Z'); // minutes before the refresh

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    const late = plain.results[0]!.late!;
    expect(late.recollected).toEqual(['2026-10-05', '2026-10-08', '2026-10-11', '2026-10-15', '2026-10-20', '2026-10-22', '2026-11-10']);
    expect(late.corrected).toEqual(['2026-10-08', '2026-10-11', '2026-10-15', '2026-10-20', '2026-10-22', '2026-11-10']);
    expect(late.reasons).toEqual(['1 call logged late', '1 call changed late', '1 deal re-dated', '1 meeting rescheduled']);
    expect(formatRefreshSummary(plain)).toContain('6 old days corrected (hubspot: 1 call logged late');

    const after = await stored();
    const inWindow = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...new Set([...before.keys(), ...after.keys()])]
      .filter((key) => !inWindow(key) && after.get(key) !== before.get(key))
      .sort()
      .map((key) => `${key}: ${before.get(key)} → ${after.get(key)}`);
    expect(moved).toEqual([
      'dials 2026-10-20: 0 → 1',
      'dials_ava 2026-10-08: 2 → 1',
      'dials_ben 2026-10-08: 0 → 1',
      'dials_ben 2026-10-20: 0 → 1',
      'ftas_attended 2026-10-15: 1 → 0',
      'ftas_attended 2026-10-22: 0 → 1',
      'mrr_closed 2026-10-11: 0 → 500',
      'mrr_closed 2026-11-10: 500 → 0',
    ]);

    // A second refresh changes nothing, though its overlap re-reads the last edit; a full re-collection agrees.
    const again = await run('2026-11-30T20:05:00Z');
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);
    await run('2026-11-30T21:30:00Z', { full: true, from: FIRST_DAY });
    expect(await stored()).toEqual(after);
  });

  it('waits out a 429 during the scan; a scan that fails keeps the cursor, and the next refresh corrects', async () => {
    const fake = seed();
    await history(fake);
    const scan = (_type: string, body: { sorts: { propertyName: string }[] }) => body.sorts[0]!.propertyName === 'hs_lastmodifieddate';

    fake.edit('deals', '22', { closedate: '2026-10-13T17:00:00Z' }, '2026-11-26T16:00:00Z');
    fake.rateLimit = 'daily';
    fake.rateLimitSearches = 1;
    fake.rateLimitWhen = scan;
    const failed = await run('2026-11-30T20:00:00Z');
    expect(failed.results[0]).toMatchObject({ status: 'failed', errorClass: 'rate_limited' });
    expect(await getSyncState(temp.store, 'hubspot.cursor.deals')).toBe('2026-11-24T19:00:00.000Z');
    expect((await stored()).get('mrr_closed 2026-10-20')).toBe(300);

    fake.rateLimit = 'secondly';
    fake.rateLimitSearches = 1;
    const retried = await run('2026-11-30T20:30:00Z');
    expect(retried.results[0]).toMatchObject({ status: 'ok', rateLimited: 1 });
    expect(retried.results[0]!.late).toMatchObject({ corrected: ['2026-10-13', '2026-10-20'], reasons: ['1 deal re-dated'] });
    const after = await stored();
    expect([after.get('mrr_closed 2026-10-13'), after.get('mrr_closed 2026-10-20')]).toEqual([300, 0]);
    expect(await getSyncState(temp.store, 'hubspot.cursor.deals')).toBe('2026-11-30T20:30:00.000Z');
  });
});

describe('HubSpot late-change scan past the 10,000-result cap', () => {
  it('narrows the modification window in halves until each part pages under the cap, every record once', async () => {
    const fake = new FakePortal();
    const start = Date.parse('2026-11-25T00:00:00Z');
    for (let i = 0; i < 10_050; i++) {
      fake.put('calls', String(1000 + i), {
        hs_timestamp: i % 2 === 0 ? '2026-10-01T15:00:00Z' : '2026-10-02T15:00:00Z',
        hubspot_owner_id: OWNERS.ava.id,
        hs_lastmodifieddate: new Date(start + i * 30_000).toISOString(),
      });
    }
    fake.serve();
    const dialsOnly = makeConfig({ dials: { owner: OWNERS.ava.email, query: { object: 'calls' } } });
    const ctx = hubspotContext(dialsOnly, { now: new Date('2026-11-30T20:00:00Z') });
    await ctx.state.set('hubspot.cursor.calls', '2026-11-24T19:00:00.000Z');

    const late = await testSource().source.lateChanges!(ctx, { from: '2026-11-24', to: '2026-11-30', metrics: metricsOf(dialsOnly) });

    expect(late.days).toEqual(['2026-10-01', '2026-10-02']);
    expect(late.reasons).toEqual(['10050 calls logged late']);
    const firstPages = fake.searches.filter((s) => s.body.after === '0');
    expect(firstPages.length).toBeGreaterThan(1);
    expect(fake.searches.every((s) => Number(s.body.after) < 10_000)).toBe(true);
    expect(fake.searches.length).toBeLessThan(70); // 10,050 records at 200 a page, one split: no re-reading
    expect(firstPages[0]!.body.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);

    await late.commit();
    expect(await ctx.state.get('hubspot.cursor.calls')).toBe('2026-11-30T20:00:00.000Z');
    expect(Object.keys(JSON.parse((await ctx.state.get('hubspot.record_days.calls'))!) as object)).toHaveLength(10_050);
  }, 60_000);
});
