import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { refresh } from '../../../src/integrations/refresh.js';
import { createSalesforceSource } from '../../../src/integrations/salesforce/index.js';
import { staleHours } from '../../../src/metrics/status.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { fakeOrg, LOGIN, NOW, QUERY_PATH, restError, TO } from './fixtures.js';

const SECRET = 'sf-client-secret-8D1F0B2C';
const ENV = { SALESFORCE_LOGIN_URL: LOGIN, SALESFORCE_CLIENT_ID: '3MVG9-connected-app-key', SALESFORCE_CLIENT_SECRET: SECRET };
const COUNT = { soql: "SELECT COUNT() FROM Opportunity WHERE Type = 'Renewal'", measure: 'count' };
const ONE = [{ metricId: 'renewals', day: TO, value: 7 }];

const { sleeps, track } = sourceTestLifecycle();
const source = () => createSalesforceSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
const harness = async () =>
  track(
    await createHarness({
      env: ENV,
      source: 'salesforce',
      now: NOW,
      sources: { salesforce: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } },
      metrics: { renewals: { query: COUNT, aggregate: 'last' } },
    }),
  );
const query = () => nock(LOGIN).get(QUERY_PATH).query(true);

describe('Salesforce failures', () => {
  it('asks for a new token once when the session has expired, and repeats the call', async () => {
    const org = fakeOrg({ expireFirst: true });
    const h = await harness();
    await expect(collectAll(source(), h, TO, TO)).resolves.toEqual(ONE);
    expect(org.tokensIssued).toBe(2);
    expect(sleeps).toEqual([]);
    expectNoSecrets(h.logLines, [SECRET, '00D5g000004XyzA!access-1', '00D5g000004XyzA!access-2']);
  });

  it('stops at a rejected client without retrying: auth, one token call, no secret in the error', async () => {
    const token = nock(LOGIN)
      .post('/services/oauth2/token')
      .times(3)
      .reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, TO, TO));
    expect(error).toMatchObject({ errorClass: 'auth', message: expect.stringContaining('invalid_client: invalid client credentials') });
    expect(token.pendingMocks()).toHaveLength(1);
    expect(h.ctx.stats.calls).toBe(1);
    expectNoSecrets([...h.logLines, String(error)], [SECRET]);
  });

  it('treats REQUEST_LIMIT_EXCEEDED (a 403) as rate limited, not auth, and does not retry it', async () => {
    query().reply(403, restError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    fakeOrg();
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, TO, TO));
    expect(error).toMatchObject({ errorClass: 'rate_limited', status: 403, message: expect.stringContaining('REQUEST_LIMIT_EXCEEDED') });
    expect(sleeps).toEqual([]);
  });

  it('waits as a 429 asks, then succeeds', async () => {
    query().reply(429, restError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), { 'Retry-After': '2' });
    fakeOrg();
    const h = await harness();
    // A 429 asks for a short wait, so it is retried (the daily allocation is the 403 above).
    await expect(collectAll(source(), h, TO, TO)).resolves.toEqual(ONE);
    expect(sleeps).toEqual([2000]);
    expect(h.ctx.stats.rateLimited).toBe(1);
  });

  it('recovers from a 5xx with backoff', async () => {
    query().reply(503, restError('SERVER_UNAVAILABLE', 'Server unavailable'));
    fakeOrg();
    const h = await harness();
    await expect(collectAll(source(), h, TO, TO)).resolves.toEqual(ONE);
    expect(sleeps).toEqual([250]);
  });

  it('keeps the last good value, marked stale, when the body drifts', async () => {
    fakeOrg();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    expect((await refresh({ ...deps, now: NOW }, { from: TO, to: TO })).ok).toBe(true);
    const good = await getDailyValues(h.store, ['renewals'], TO, '2026-11-09');
    expect(good).toEqual([expect.objectContaining({ value: 7 })]);

    nock.cleanAll();
    nock(LOGIN).post('/services/oauth2/token').reply(200, { access_token: 'x', instance_url: LOGIN });
    // `totalSize` as text: a changed API must not be read as a count.
    query().reply(200, { totalSize: '7', done: true, records: [] });
    const later = new Date(NOW.getTime() + 6 * 3_600_000);
    const second = await refresh({ ...deps, now: later }, { from: TO, to: TO });
    expect(second.results[0]).toMatchObject({ status: 'failed', errorClass: 'bad_response', error: expect.stringContaining('totalSize') });
    const kept = await getDailyValues(h.store, ['renewals'], TO, '2026-11-09');
    expect(kept).toEqual(good);
    expect(staleHours(kept[0]!.fetched_at, later, 4, later.toISOString())).toBe(6);
  });
});
