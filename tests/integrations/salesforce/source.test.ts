import { describe, expect, it } from 'vitest';
import { refresh } from '../../../src/integrations/refresh.js';
import { createSalesforceSource } from '../../../src/integrations/salesforce/index.js';
import { bindSoql } from '../../../src/integrations/salesforce/soql.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { byDay, collectAll, createHarness, expectNoSecrets, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { fakeOrg, FROM, LOGIN, NOW, TO } from './fixtures.js';

const SECRET = 'sf-client-secret-3C9A5E7B';
const ENV = { SALESFORCE_LOGIN_URL: LOGIN, SALESFORCE_CLIENT_ID: '3MVG9-connected-app-key', SALESFORCE_CLIENT_SECRET: SECRET };
const SETTINGS = { salesforce: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const examples = commentedExampleMetrics('Customer health: Salesforce');

const { sleeps, track } = sourceTestLifecycle();
const source = () => createSalesforceSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
const harness = async (sources: Record<string, Record<string, unknown>> = SETTINGS) =>
  track(await createHarness({ env: ENV, source: 'salesforce', now: NOW, sources, metrics: harnessMetrics(examples) }));

function fortnight(nonZero: Record<string, number>): Record<string, number> {
  const days: Record<string, number> = {};
  for (let d = new Date(`${FROM}T12:00:00Z`); d.toISOString().slice(0, 10) <= TO; d.setUTCDate(d.getUTCDate() + 1))
    days[d.toISOString().slice(0, 10)] = 0;
  return { ...days, ...nonZero };
}

describe('Salesforce source', () => {
  it('fills the example metrics for a fortnight across the end of DST, following nextRecordsUrl', async () => {
    const org = fakeOrg();
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);
    expect(byDay(values, 'arr')).toEqual({ [TO]: 200000 });
    expect(byDay(values, 'renewals_due_90d')).toEqual({ [TO]: 7 });
    expect(byDay(values, 'renewals_due_90d_amount')).toEqual({ [TO]: 84500 });
    expect(byDay(values, 'closed_won_amount')).toEqual(fortnight({ '2026-10-26': 1500.1, '2026-11-01': 3499.95, '2026-11-08': 10000 }));
    expect(byDay(values, 'churn_signals_high')).toEqual(fortnight({ '2026-10-31': 1, '2026-11-01': 2, '2026-11-05': 1 }));
    expect(org.soql).toContain(
      'SELECT CloseDate, Amount FROM Opportunity WHERE IsWon = true AND CloseDate >= 2026-10-26 AND CloseDate <= 2026-11-08',
    );
    // The window's first and last instants: CDT (-5) on 10-26, CST (-6) on 11-08.
    expect(org.soql).toContain(
      "SELECT CreatedDate FROM Churn_Signal__c WHERE Severity__c = 'High' AND CreatedDate >= 2026-10-26T05:00:00Z AND CreatedDate <= 2026-11-09T05:59:59Z",
    );
    expect(org.tokensIssued).toBe(1);
    expectNoSecrets(h.logLines, [SECRET, '00D5g000004XyzA!access-1']);
  });

  it('refreshes twice to the same stored values', async () => {
    fakeOrg();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, now: NOW, sources: [source()] };
    const ids = Object.keys(examples);
    const first = await refresh(deps, { sourceIds: ['salesforce'], from: FROM, to: TO });
    expect(first.results[0]).toMatchObject({ status: 'ok', valuesWritten: 3 + 2 * 14 });
    const stored = await getDailyValues(h.store, ids, FROM, '2026-11-09');
    await refresh(deps, { sourceIds: ['salesforce'], from: FROM, to: TO });
    expect(await getDailyValues(h.store, ids, FROM, '2026-11-09')).toEqual(stored);
  });

  it('stops the run once the org’s daily usage passes the configured share', async () => {
    const org = fakeOrg({ usedBefore: 7498 });
    const h = await harness();
    const error = await collectAll(source(), h, FROM, TO).catch((e: unknown) => e);
    expect(error).toMatchObject({
      errorClass: 'rate_limited',
      message: expect.stringContaining(
        'used 7501 of its 15000 daily API requests (50 %), past sources.salesforce.max_api_usage_share (50 %)',
      ),
    });
    // ARR's two batches and the renewal count; the third answer crossed the line and nothing more was asked.
    expect(org.soql).toHaveLength(2);
  });

  it('lets a higher share through, and reports usage in the check', async () => {
    fakeOrg({ usedBefore: 7498 });
    const h = await harness({ salesforce: { ...SETTINGS.salesforce, max_api_usage_share: 0.8 } });
    await expect(collectAll(source(), h, FROM, TO)).resolves.toHaveLength(3 + 2 * 14);
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated; 90 of 15000 daily API requests used' });
  });

  it('binds only its own names, outside string literals', () => {
    const window = { from: '2026-11-01', to: '2026-11-07', timezone: 'America/Chicago' };
    expect(bindSoql("SELECT Id FROM Case WHERE Subject = ':from' AND CreatedDate >= :from_start", window, 'q')).toBe(
      "SELECT Id FROM Case WHERE Subject = ':from' AND CreatedDate >= 2026-11-01T05:00:00Z",
    );
    expect(bindSoql("SELECT Id FROM Case WHERE Subject = 'it\\'s :to' AND CloseDate = NEXT_N_DAYS:90", window, 'q')).toContain(
      'NEXT_N_DAYS:90',
    );
    expect(() => bindSoql('SELECT Id FROM Case WHERE OwnerId = :owner', window, 'metrics.x.query.soql')).toThrow(
      /metrics\.x\.query\.soql: unknown bind :owner/,
    );
    expect(() => bindSoql('SELECT Id FROM Case WHERE CloseDate = :from', undefined, 'q')).toThrow(
      /unknown bind :from \(binds: none for a stock/,
    );
    expect(() => bindSoql("SELECT Id FROM Case WHERE Name = 'x", window, 'q')).toThrow(/unterminated string/);
  });
});
