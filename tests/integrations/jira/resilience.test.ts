import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createJiraSource } from '../../../src/integrations/jira/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { staleHours } from '../../../src/metrics/status.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { fakeApi } from '../../helpers/source-fixtures.js';
import { collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { errorBody, fakeJira, FILTER, issue, NOW, SITE } from './fixtures.js';

const TOKEN = 'ATATT3xFfGF0-jira-api-token-7d2f';
const ENV = { JIRA_BASE_URL: SITE, JIRA_EMAIL: 'scorecard@acme.example', JIRA_API_TOKEN: TOKEN };
const DAY = '2026-11-01';
const SEARCH = '/rest/api/3/search/jql';
const ONE_ISSUE = { issues: [issue('10003', { created: '2026-11-01T05:30:00.000+0000' })], isLast: true };

const { sleeps, track } = sourceTestLifecycle();
const source = () => createJiraSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness() {
  return track(
    await createHarness({
      env: ENV,
      source: 'jira',
      now: NOW,
      sources: { jira: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } },
      metrics: { bugs_created: { query: { jql: FILTER, measure: 'created' } } },
    }),
  );
}

const search = () => nock(SITE).post(SEARCH);

describe('Jira failures', () => {
  it('waits as a 429 Retry-After asks, then succeeds', async () => {
    const api = search()
      .reply(429, errorBody('Rate limit exceeded.'), { 'Retry-After': '3', 'X-RateLimit-Remaining': '0' })
      .post(SEARCH)
      .reply(200, ONE_ISSUE);
    const h = await harness();
    await expect(collectAll(source(), h, DAY, DAY)).resolves.toEqual([{ metricId: 'bugs_created', day: DAY, value: 1 }]);
    api.done();
    expect(sleeps).toEqual([3000]);
    expect(h.ctx.stats).toEqual({ calls: 2, rateLimited: 1 });
  });

  it('falls back to X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    const reset = new Date(Date.now() + 60_000).toISOString();
    search().reply(429, errorBody('Rate limit exceeded.'), { 'X-RateLimit-Reset': reset }).post(SEARCH).reply(200, ONE_ISSUE);
    const h = await harness();
    await collectAll(source(), h, DAY, DAY);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(50_000);
    expect(sleeps[0]).toBeLessThanOrEqual(60_000);
  });

  it('recovers from a 5xx with backoff', async () => {
    const api = search().reply(503, 'Service Unavailable').post(SEARCH).reply(200, ONE_ISSUE);
    const h = await harness();
    await expect(collectAll(source(), h, DAY, DAY)).resolves.toHaveLength(1);
    api.done();
    expect(sleeps).toEqual([250]);
  });

  it('stops at a 401 without retrying, as an auth error with no secret in it', async () => {
    const api = search().times(3).reply(401, errorBody('Client must be authenticated to access this resource.'));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    expect(error).toMatchObject({ errorClass: 'auth', status: 401, message: expect.stringContaining('must be authenticated') });
    expect(h.ctx.stats.calls).toBe(1);
    expect(api.pendingMocks()).toHaveLength(1);
    expect(sleeps).toEqual([]);
    nock(SITE).get('/rest/api/3/myself').reply(401, errorBody('Client must be authenticated to access this resource.'));
    const check = await source().check(h.ctx);
    expect(check.detail).toMatch(/^authentication failed: check JIRA_EMAIL and JIRA_API_TOKEN/);
    expectNoSecrets(
      [...h.logLines, String(error), check.detail],
      [TOKEN, Buffer.from(`scorecard@acme.example:${TOKEN}`).toString('base64')],
    );
  });

  it('reports bad JQL as a config error with Jira’s message', async () => {
    search().reply(400, errorBody("Field 'prioirty' does not exist or you do not have permission to view it."));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    expect(error).toMatchObject({ errorClass: 'config', message: expect.stringContaining("Field 'prioirty' does not exist") });
  });

  it('keeps the last good values, marked stale, when the body drifts', async () => {
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    fakeApi(SITE, fakeJira());
    const first = await refresh({ ...deps, now: NOW }, { from: DAY, to: DAY });
    expect(first.ok).toBe(true);
    const good = await getDailyValues(h.store, ['bugs_created'], DAY, '2026-11-02');
    expect(good).toEqual([expect.objectContaining({ value: 1, fetched_at: NOW.toISOString() })]);

    nock.cleanAll();
    // `created` as epoch milliseconds instead of Jira's datetime text.
    search().reply(200, { issues: [issue('10003', { created: 1_793_511_000_000 })], isLast: true });
    const later = new Date(NOW.getTime() + 30 * 3_600_000);
    const second = await refresh({ ...deps, now: later }, { from: DAY, to: DAY });
    expect(second.results[0]).toMatchObject({ status: 'failed', errorClass: 'bad_response' });
    expect(second.results[0]!.error).toContain('issues.0.fields.created');
    const kept = await getDailyValues(h.store, ['bugs_created'], DAY, '2026-11-02');
    expect(kept).toEqual(good);
    expect(staleHours(kept[0]!.fetched_at, later, 24, later.toISOString())).toBe(30);
  });
});
