import nock from 'nock';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { createSalesforceSource } from '../../../src/integrations/salesforce/index.js';
import type { SalesforceQuery } from '../../../src/integrations/salesforce/schemas.js';
import { recordId, scanSoql, soqlObject, trackedMetrics } from '../../../src/integrations/salesforce/late.js';
import { addDays, localDayOf } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { getSyncState } from '../../../src/store/sync-state.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakeLateOrg } from './fake-org-late.js';
import { LOGIN } from './fixtures.js';

/**
 * The acceptance of late changes for Salesforce, against a stateful loopback org: a won deal re-dated, a won deal
 * reopened, a won deal deleted and a churn signal downgraded weeks after their days change exactly those old days
 * on the next plain refresh (the scan read in batches through `nextRecordsUrl`, after a 429); an edited deal that
 * was never won re-collects its day and changes nothing. A second plain refresh and a full re-collection then
 * change nothing, and every day equals the figures computed straight from the records.
 */

const TZ = 'America/Chicago';
const FIRST_DAY = '2026-10-01';
const env = { SALESFORCE_LOGIN_URL: LOGIN, SALESFORCE_CLIENT_ID: '3MVG9-connected-app-key', SALESFORCE_CLIENT_SECRET: 'sf-late-S3cret-7Q' };
const CURSOR_KEY = 'salesforce.cursor.records';

const metric = (name: string, unit: 'count' | 'currency', query: Record<string, unknown>) => ({
  name,
  unit,
  aggregate: 'sum',
  source: 'salesforce',
  query,
  definition: 'd',
  why: 'w',
  calculation: 'c',
});

const config = configSchema.parse({
  org: { name: 'Test Co', timezone: TZ },
  groups: [{ id: 'health', name: 'Health', metrics: ['closed_won_amount', 'churn_signals_high'] }],
  metrics: {
    closed_won_amount: metric('Closed won', 'currency', {
      soql: 'SELECT CloseDate, Amount FROM Opportunity WHERE IsWon = true AND CloseDate >= :from AND CloseDate <= :to',
      measure: 'by_day',
      day_field: 'CloseDate',
      field: 'Amount',
    }),
    churn_signals_high: metric('Churn signals', 'count', {
      soql: "SELECT CreatedDate FROM Churn_Signal__c WHERE Severity__c = 'High' AND CreatedDate >= :from_start AND CreatedDate <= :to_end",
      measure: 'by_day',
      day_field: 'CreatedDate',
    }),
  },
  sources: { salesforce: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } },
});

function seed(fake: FakeLateOrg): void {
  fake.opportunity({ Id: '0065g0000L1', CloseDate: '2026-10-05', Amount: 1000, IsWon: true });
  fake.opportunity({ Id: '0065g0000L2', CloseDate: '2026-10-20', Amount: 500, IsWon: true });
  fake.opportunity({ Id: '0065g0000L3', CloseDate: '2026-10-28', Amount: 200.25, IsWon: true });
  fake.opportunity({ Id: '0065g0000L4', CloseDate: '2026-10-15', Amount: 300, IsWon: false });
  fake.opportunity({ Id: '0065g0000L5', CloseDate: '2026-11-02', Amount: 700, IsWon: true });
  fake.signal({ Id: 'a015g0000S1', CreatedDate: '2026-10-12T15:00:00Z', Severity__c: 'High' });
  fake.signal({ Id: 'a015g0000S2', CreatedDate: '2026-10-12T18:00:00Z', Severity__c: 'High' });
}

/** The figures straight from the records, independent of the source: what every stored day must equal. */
function truth(fake: FakeLateOrg, last: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let d = FIRST_DAY; d <= last; d = addDays(d, 1)) {
    out.set(`closed_won_amount ${d}`, 0);
    out.set(`churn_signals_high ${d}`, 0);
  }
  for (const o of fake.opportunities.values()) {
    if (o.IsDeleted || !o.IsWon) continue;
    const key = `closed_won_amount ${o.CloseDate}`;
    if (out.has(key)) out.set(key, out.get(key)! + o.Amount);
  }
  for (const s of fake.signals.values()) {
    if (s.IsDeleted || s.Severity__c !== 'High') continue;
    const key = `churn_signals_high ${localDayOf(new Date(s.CreatedDate), TZ)}`;
    if (out.has(key)) out.set(key, out.get(key)! + 1);
  }
  return out;
}

describe.each(storeKinds())('Salesforce late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const source = createSalesforceSource({ sleep: async () => undefined, random: () => 0.5 });
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh({ store: temp.store, config, env, logger: pino({ level: 'silent' }), now: new Date(now), sources: [source] }, opts);
  const stored = async () =>
    new Map(
      (await getDailyValues(temp.store, Object.keys(config.metrics), FIRST_DAY, '2026-12-31')).map((row) => [
        `${row.metric_id} ${row.day}`,
        row.value,
      ]),
    );

  /** The range collected once, then a plain refresh that starts the cursor. */
  async function history(fake: FakeLateOrg): Promise<void> {
    expect((await run('2026-11-24T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-24T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(truth(fake, '2026-11-24'));
  }

  it('corrects exactly the days a re-dated, reopened and deleted deal and a downgraded signal touch; a second and a full refresh change nothing', async () => {
    const fake = new FakeLateOrg();
    seed(fake);
    fake.start();
    await history(fake);
    const before = await stored();

    fake.editOpportunity('0065g0000L1', '2026-11-25T16:00:00Z', { CloseDate: '2026-10-09' });
    fake.editOpportunity('0065g0000L2', '2026-11-26T16:00:00Z', { IsWon: false });
    fake.editOpportunity('0065g0000L3', '2026-11-27T16:00:00Z', { IsDeleted: true });
    fake.editOpportunity('0065g0000L4', '2026-11-28T16:00:00Z', { Amount: 350 });
    fake.editSignal('a015g0000S1', '2026-11-29T16:00:00Z', { Severity__c: 'Low' });
    fake.rateLimitScans = 1;
    const scansBefore = fake.scans.length;

    const plain = await run('2026-11-30T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(plain.results[0]!.rateLimited).toBe(1);
    const late = plain.results[0]!.late!;
    // 10-15 is the never-won deal's: re-collected, unchanged.
    expect(late.recollected).toEqual(['2026-10-05', '2026-10-09', '2026-10-12', '2026-10-15', '2026-10-20', '2026-10-28']);
    expect(late.corrected).toEqual(['2026-10-05', '2026-10-09', '2026-10-12', '2026-10-20', '2026-10-28']);
    expect(late.reasons).toEqual(['4 records changed after their day', '1 record deleted']);
    expect(formatRefreshSummary(plain)).toContain('5 old days corrected (salesforce: 4 records changed after their day, 1 record deleted)');

    // The scan: the 429, the four changed deals two to a batch, then the one changed signal; from the cursor less 10 minutes.
    const scans = fake.scans.slice(scansBefore);
    expect(scans.map((scan) => scan.path)).toEqual([
      '/services/data/v62.0/queryAll',
      '/services/data/v62.0/queryAll',
      expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01gLATE\d+-2$/),
      '/services/data/v62.0/queryAll',
    ]);
    expect(scans[0]!.q).toBe('SELECT Id, IsDeleted, CloseDate FROM Opportunity WHERE SystemModstamp > 2026-11-24T18:50:00Z');
    expect(scans[3]!.q).toBe('SELECT Id, IsDeleted, CreatedDate FROM Churn_Signal__c WHERE SystemModstamp > 2026-11-24T18:50:00Z');

    const after = await stored();
    const inWindow = (key: string) => key.slice(-10) >= '2026-11-24';
    const moved = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !inWindow(key) && after.get(key) !== before.get(key));
    expect(moved.sort()).toEqual([
      'churn_signals_high 2026-10-12',
      'closed_won_amount 2026-10-05',
      'closed_won_amount 2026-10-09',
      'closed_won_amount 2026-10-20',
      'closed_won_amount 2026-10-28',
    ]);
    expect(after.get('closed_won_amount 2026-10-09')).toBe(1000);
    expect(after.get('churn_signals_high 2026-10-12')).toBe(1);
    expect(after).toEqual(truth(fake, '2026-11-30'));
    expect(await getSyncState(temp.store, CURSOR_KEY)).toBe('2026-11-30T20:00:00.000Z');

    const again = await run('2026-11-30T21:00:00Z');
    expect(again.ok).toBe(true);
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);

    const full = await run('2026-11-30T22:00:00Z', { full: true, from: FIRST_DAY });
    expect(full.ok).toBe(true);
    expect(await stored()).toEqual(after);
  });

  it('keeps the cursor when the scan is rate limited: the next refresh still corrects the day', async () => {
    const fake = new FakeLateOrg();
    seed(fake);
    fake.start();
    await history(fake);

    fake.editOpportunity('0065g0000L2', '2026-11-25T16:00:00Z', { CloseDate: '2026-10-21' });
    fake.rateLimitScans = Number.POSITIVE_INFINITY;
    const failed = await run('2026-11-26T20:00:00Z');
    expect(failed.results[0]!.status).toBe('failed');
    expect(await getSyncState(temp.store, CURSOR_KEY)).toBe('2026-11-24T19:00:00.000Z');
    expect((await stored()).get('closed_won_amount 2026-10-20')).toBe(500);

    fake.rateLimitScans = 0;
    const next = await run('2026-11-26T21:00:00Z');
    expect(next.ok).toBe(true);
    expect(next.results[0]!.late!.corrected).toEqual(['2026-10-20', '2026-10-21']);
    expect(await stored()).toEqual(truth(fake, '2026-11-26'));
  });
});

describe('Salesforce change scan', () => {
  it('reads the FROM object outside sub-queries and string literals', () => {
    expect(soqlObject('SELECT CloseDate, Amount FROM Opportunity WHERE IsWon = true', 'm')).toBe('Opportunity');
    expect(soqlObject("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'x from Lead'", 'm')).toBe('Account');
    expect(() => soqlObject('SELECT Id', 'm')).toThrow(/metrics\.m\.query\.soql: no FROM object/);
  });

  it('asks for the id, deletion and day fields of records modified since the scan start', () => {
    expect(scanSoql('Opportunity', ['CloseDate', 'CreatedDate', 'CloseDate'], new Date('2026-11-24T18:50:00.123Z'))).toBe(
      'SELECT Id, IsDeleted, CloseDate, CreatedDate FROM Opportunity WHERE SystemModstamp > 2026-11-24T18:50:00Z',
    );
  });

  it('tracks by-day metrics on plain records only: stocks and aggregates are left to the trailing window', () => {
    const m = (id: string, query: SalesforceQuery) => ({ ...config.metrics.closed_won_amount!, id, query });
    const byDay = { soql: 'SELECT CloseDate FROM Opportunity', measure: 'by_day', day_field: 'CloseDate' } as const;
    const grouped = {
      soql: 'SELECT DAY_ONLY(CreatedDate) d, COUNT(Id) n FROM Lead GROUP BY DAY_ONLY(CreatedDate)',
      measure: 'by_day',
      day_field: 'd',
      field: 'n',
    } as const;
    const tracked = trackedMetrics([
      m('won', byDay),
      m('leads', grouped),
      m('open', { soql: 'SELECT COUNT() FROM Case', measure: 'count' }),
    ]);
    expect(tracked.map((metric) => metric.id)).toEqual(['won']);
  });

  it('takes a record id from Id, or from attributes.url when the SOQL did not select it', () => {
    expect(recordId({ Id: '0065g0000L1' })).toBe('0065g0000L1');
    expect(recordId({ attributes: { type: 'Opportunity', url: '/services/data/v62.0/sobjects/Opportunity/0065g0000L9' } })).toBe(
      '0065g0000L9',
    );
    expect(recordId({})).toBeUndefined();
  });
});
