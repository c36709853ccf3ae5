import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createLookerSource } from '../../../src/integrations/looker/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { staleHours } from '../../../src/metrics/status.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { byDay, collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { accessToken, API, fakeLooker, FROM, HOST, lookerError, NOW, TO } from './fixtures.js';

const SECRET = 'lk-client-secret-Vb7Qm2Xz9';
const ENV = { LOOKER_BASE_URL: HOST, LOOKER_CLIENT_ID: 'gQxj7Dc6Wm5hZ4YbR3Nd', LOOKER_CLIENT_SECRET: SECRET };
const SETTINGS = { looker: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const examples = commentedExampleMetrics('Customer health: Looker');
const specs = harnessMetrics(examples);

const { sleeps, track } = sourceTestLifecycle();
let clock = 0;
const source = () => createLookerSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, now: () => clock });
const harness = async (metrics = specs) => track(await createHarness({ env: ENV, source: 'looker', now: NOW, sources: SETTINGS, metrics }));

function fortnight(nonZero: Record<string, number>): Record<string, number> {
  const days: Record<string, number> = {};
  for (let d = new Date(`${FROM}T12:00:00Z`); d.toISOString().slice(0, 10) <= TO; d.setUTCDate(d.getUTCDate() + 1))
    days[d.toISOString().slice(0, 10)] = 0;
  return { ...days, ...nonZero };
}

describe('Looker source', () => {
  it('fills the example metrics, running the shared Look once and the inline query in the org’s timezone', async () => {
    const fake = fakeLooker();
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);
    expect(byDay(values, 'platform_active_accounts')).toEqual({ [TO]: 318 });
    expect(byDay(values, 'platform_logins')).toEqual(
      fortnight({ '2026-10-26': 40, '2026-10-30': 33, '2026-11-01': 5, '2026-11-02': 61, '2026-11-08': 8 }),
    );
    expect(byDay(values, 'platform_active_users')).toEqual(
      fortnight({ '2026-10-26': 12, '2026-10-30': 10, '2026-11-01': 3, '2026-11-02': 15, '2026-11-08': 4 }),
    );
    expect(byDay(values, 'reports_exported')).toEqual(fortnight({ '2026-10-28': 3, '2026-11-01': 2, '2026-11-05': 6 }));
    expect(fake.lookRuns).toEqual(['42', '57']);
    expect(fake.inlineBodies).toEqual([
      {
        model: 'product',
        view: 'events',
        fields: ['events.event_date', 'events.count'],
        filters: { 'events.event_type': 'export', 'events.event_date': '2026/10/26 to 2026/11/09' },
        query_timezone: 'America/Chicago',
        limit: '5000',
      },
    ]);
    expect(fake.logins).toBe(1);
    expectNoSecrets(h.logLines, [SECRET, 'lk-1']);
  });

  it('logs in again before the token’s expires_in runs out', async () => {
    clock = 1_000_000;
    const fake = fakeLooker();
    const h = await harness({ platform_active_accounts: specs.platform_active_accounts!, platform_logins: specs.platform_logins! });
    const api = source();
    const run = api.collect(h.ctx, { from: FROM, to: TO, metrics: h.metrics })[Symbol.asyncIterator]();
    await run.next();
    expect(fake.logins).toBe(1);
    // 3600 s token; 59 minutes later it is inside the one-minute margin.
    clock += 59 * 60_000 + 1;
    await run.next();
    expect(fake.logins).toBe(2);
    expect(fake.lookRuns).toEqual(['42', '57']);
    clock = 0;
  });

  it('logs in once more when a call is refused with 401, and repeats it', async () => {
    nock(HOST).get(`${API}/looks/42/run/json`).query(true).reply(401, lookerError('Requires authentication.'));
    const fake = fakeLooker();
    const h = await harness({ platform_active_accounts: specs.platform_active_accounts! });
    await expect(collectAll(source(), h, FROM, TO)).resolves.toEqual([{ metricId: 'platform_active_accounts', day: TO, value: 318 }]);
    expect(fake.logins).toBe(2);
  });

  it('reports a rejected API key as auth, without retrying or leaking it', async () => {
    const login = nock(HOST).post(`${API}/login`).times(3).reply(404, lookerError('Not found'));
    const h = await harness({ platform_active_accounts: specs.platform_active_accounts! });
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({ errorClass: 'auth', message: expect.stringContaining('login rejected the API key') });
    expect(login.pendingMocks()).toHaveLength(1);
    const check = await source().check(h.ctx);
    expect(check.detail).toMatch(/^authentication failed: check LOOKER_CLIENT_ID/);
    expectNoSecrets([String(error), check.detail, ...h.logLines], [SECRET]);
  });

  it('waits out a 429 and a 5xx, then succeeds', async () => {
    nock(HOST).post(`${API}/login`).reply(200, accessToken('lk-1'));
    nock(HOST)
      .get(`${API}/looks/42/run/json`)
      .query(true)
      .reply(429, lookerError('Too many requests'), { 'Retry-After': '4' })
      .get(`${API}/looks/42/run/json`)
      .query(true)
      .reply(502, 'Bad Gateway')
      .get(`${API}/looks/42/run/json`)
      .query(true)
      .reply(200, [{ 'accounts.active_count': 320 }]);
    const h = await harness({ platform_active_accounts: specs.platform_active_accounts! });
    await expect(collectAll(source(), h, FROM, TO)).resolves.toEqual([{ metricId: 'platform_active_accounts', day: TO, value: 320 }]);
    expect(sleeps).toEqual([4000, 500]);
  });

  it('refreshes twice to the same values; a drifted body keeps them, marked stale', async () => {
    fakeLooker();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    const ids = Object.keys(examples);
    expect((await refresh({ ...deps, now: NOW }, { from: FROM, to: TO })).results[0]).toMatchObject({
      status: 'ok',
      valuesWritten: 1 + 3 * 14,
    });
    const stored = await getDailyValues(h.store, ids, FROM, '2026-11-09');
    expect((await refresh({ ...deps, now: NOW }, { from: FROM, to: TO })).ok).toBe(true);
    expect(await getDailyValues(h.store, ids, FROM, '2026-11-09')).toEqual(stored);

    nock.cleanAll();
    nock(HOST).post(`${API}/login`).reply(200, accessToken('lk-9'));
    // Rows wrapped in an object instead of the documented array.
    nock(HOST)
      .get(`${API}/looks/42/run/json`)
      .query(true)
      .reply(200, { data: [{ 'accounts.active_count': 1 }] });
    const later = new Date(NOW.getTime() + 5 * 3_600_000);
    const drifted = await refresh({ ...deps, now: later }, { from: FROM, to: TO });
    expect(drifted.results[0]).toMatchObject({ status: 'failed', errorClass: 'bad_response' });
    const kept = await getDailyValues(h.store, ids, FROM, '2026-11-09');
    expect(kept).toEqual(stored);
    const snapshot = kept.find((row) => row.metric_id === 'platform_active_accounts')!;
    expect(staleHours(snapshot.fetched_at, later, 4, later.toISOString())).toBe(5);
  });
});
