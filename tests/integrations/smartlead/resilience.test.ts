import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createSmartleadSource } from '../../../src/integrations/smartlead/index.js';
import { SMARTLEAD_LIMITS } from '../../../src/integrations/smartlead/client.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { collectAll, createHarness, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { analytics, BASE, campaigns, rateLimited, ROOT } from './fixtures.js';

const API_KEY = 'sl_live_4f9c2b7e1d8a6035';
const withKey = { api_key: API_KEY };
const QUEUE_ONLY = { leads_in_queue: { kind: 'leads_in_queue', aggregate: 'last' as const } };
const ACTIVE_ONE = [{ ...campaigns[0]!, status: 'ACTIVE' }];

const { sleeps, track } = sourceTestLifecycle();
const source = () => createSmartleadSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness() {
  const created = await createHarness({
    env: { SMARTLEAD_API_KEY: API_KEY, SMARTLEAD_BASE_URL: `${BASE}${ROOT}/` },
    source: 'smartlead',
    now: new Date('2026-11-01T17:00:00Z'),
    sources: { smartlead: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } },
    metrics: QUEUE_ONLY,
  });
  track(created);
  return created;
}

describe('Smartlead failures', () => {
  it('defaults to one request per second', () => {
    expect(SMARTLEAD_LIMITS).toEqual({ default: { max: 1, perMs: 1000 } });
  });

  it('waits the Retry-After of a 429 and then succeeds', async () => {
    const api = nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(429, rateLimited, { 'Retry-After': '30' })
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(200, ACTIVE_ONE)
      .get(`${ROOT}/campaigns/101/analytics`)
      .query(withKey)
      .reply(200, analytics(101, 75));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).resolves.toEqual([
      { metricId: 'leads_in_queue', day: '2026-11-01', value: 75 },
    ]);
    api.done();
    expect(sleeps).toEqual([30_000]);
    expect(h.ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('recovers from a 5xx with backoff', async () => {
    const api = nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(200, ACTIVE_ONE)
      .get(`${ROOT}/campaigns/101/analytics`)
      .query(withKey)
      .reply(502, '<html>Bad Gateway</html>')
      .get(`${ROOT}/campaigns/101/analytics`)
      .query(withKey)
      .reply(200, { ok: true, data: analytics(101, '75') });
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).resolves.toEqual([
      { metricId: 'leads_in_queue', day: '2026-11-01', value: 75 },
    ]);
    api.done();
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry a rejected API key: exactly one call, and doctor says which variable to check', async () => {
    let hits = 0;
    nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .times(5)
      .reply(() => {
        hits++;
        return [401, { message: 'Invalid API key' }];
      });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expect(hits).toBe(1);

    const result = await source().check(h.ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^API key rejected: check SMARTLEAD_API_KEY/);
    expect(result.detail).not.toContain(API_KEY);
  });

  it('rejects a malformed body as bad_response', async () => {
    nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(200, { ok: true, data: { campaigns: 'many' } });
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({ errorClass: 'bad_response' });
  });

  it('keeps the api_key out of every log line (URLs included) and error', async () => {
    nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(429, rateLimited, { 'Retry-After': '1' })
      .get(`${ROOT}/campaigns`)
      .query(withKey)
      .reply(200, ACTIVE_ONE)
      .get(`${ROOT}/campaigns/101/analytics`)
      .query(withKey)
      .reply(400, { message: `campaign 101 is not visible to key ${API_KEY} (${BASE}${ROOT}/campaigns/101/analytics?api_key=${API_KEY})` });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toMatchObject({ errorClass: 'config' });
    const texts = [...h.logLines, (error as Error).message];
    expect(h.logLines.some((line) => line.includes('api_key=[REDACTED]'))).toBe(true);
    for (const text of texts) expect(text).not.toContain(API_KEY);
  });
});
