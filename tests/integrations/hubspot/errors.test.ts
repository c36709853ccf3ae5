import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSourceError, type SourceError } from '../../../src/integrations/errors.js';
import { BASE, OWNERS, TOKEN, collectAll, makeConfig, makeContext, ownersPage, record, searchPage, testSource } from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

/** `error-429-daily.json`, verbatim, and its documented variants. */
const DAILY = {
  status: 'error',
  message: 'You have reached your daily limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'DAILY',
  requestId: '3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd',
};
const TEN_SECONDLY = { ...DAILY, message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' };
const SECONDLY_SEARCH = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  errorType: 'RATE_LIMIT',
  correlationId: DAILY.correlationId,
  requestId: DAILY.requestId,
};

const dialsConfig = () => makeConfig({ dials: { owner: OWNERS.ava.email, query: { object: 'calls' } } });
const oneCall = () => searchPage(1, [record('1', { hs_timestamp: '2026-11-16T15:00:00Z', hubspot_owner_id: OWNERS.ava.id })]);

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    if (isSourceError(error)) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('HubSpot errors and retries', () => {
  it('waits the interval after a ten-secondly 429, then succeeds', async () => {
    nock(BASE)
      .get('/crm/v3/owners')
      .query({ limit: '100' })
      .reply(429, TEN_SECONDLY, { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Remaining': '0' })
      .get('/crm/v3/owners')
      .query({ limit: '100' })
      .reply(200, ownersPage());
    nock(BASE).post('/crm/v3/objects/calls/search').reply(200, oneCall());
    const { source, sleeps } = testSource();
    const ctx = makeContext(dialsConfig());
    const values = (await collectAll(ctx, '2026-11-16', '2026-11-16', source)).flat();
    expect(values.map((v) => v.value)).toEqual([1]);
    expect(sleeps).toEqual([10_000]);
    expect(ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('waits one second after a search 429 ("secondly limit"), then succeeds', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    nock(BASE).post('/crm/v3/objects/calls/search').reply(429, SECONDLY_SEARCH).post('/crm/v3/objects/calls/search').reply(200, oneCall());
    const { source, sleeps } = testSource();
    const ctx = makeContext(dialsConfig());
    const values = (await collectAll(ctx, '2026-11-16', '2026-11-16', source)).flat();
    expect(values.map((v) => v.value)).toEqual([1]);
    expect(sleeps).toEqual([1_000]);
    expect(ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('does not retry the daily limit: the run fails rate_limited after one call', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    const search = nock(BASE).post('/crm/v3/objects/calls/search').reply(429, DAILY);
    const { source, sleeps } = testSource();
    const ctx = makeContext(dialsConfig());
    const error = await failureOf(collectAll(ctx, '2026-11-16', '2026-11-16', source));
    expect(error.errorClass).toBe('rate_limited');
    expect(error.message).toContain('daily API limit reached');
    expect(search.isDone()).toBe(true);
    expect(sleeps).toEqual([]);
    expect(ctx.stats).toEqual({ calls: 2, rateLimited: 1 });
  });

  it('retries a 5xx and recovers', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    nock(BASE)
      .post('/crm/v3/objects/calls/search')
      .reply(502, '<html>Bad Gateway</html>')
      .post('/crm/v3/objects/calls/search')
      .reply(503, { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' })
      .post('/crm/v3/objects/calls/search')
      .reply(200, oneCall());
    const { source, sleeps } = testSource();
    const ctx = makeContext(dialsConfig());
    const values = (await collectAll(ctx, '2026-11-16', '2026-11-16', source)).flat();
    expect(values.map((v) => v.value)).toEqual([1]);
    expect(sleeps).toHaveLength(2);
    expect(ctx.stats).toEqual({ calls: 4, rateLimited: 0 });
  });

  it('fails auth on 401 after exactly one call, with no token in the error or any log line', async () => {
    nock(BASE)
      .get('/crm/v3/owners')
      .query({ limit: '100' })
      .reply(401, {
        status: 'error',
        // An API that echoes the credential back must still not leak it.
        message: `Authentication credentials not found for Bearer ${TOKEN}.`,
        correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
        category: 'INVALID_AUTHENTICATION',
      });
    const { source, sleeps } = testSource();
    const ctx = makeContext(dialsConfig());
    const error = await failureOf(collectAll(ctx, '2026-11-16', '2026-11-16', source));
    expect(error.errorClass).toBe('auth');
    expect(ctx.stats.calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(ctx.logLines.length).toBeGreaterThan(0);
    for (const text of [error.message, error.stack ?? '', ...ctx.logLines]) expect(text).not.toContain(TOKEN);
  });

  it('keeps the token out of every debug log line of a successful run', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    nock(BASE).post('/crm/v3/objects/calls/search').reply(200, oneCall());
    const ctx = makeContext(dialsConfig());
    await collectAll(ctx, '2026-11-16', '2026-11-16');
    expect(ctx.logLines.length).toBeGreaterThanOrEqual(2);
    for (const line of ctx.logLines) expect(line).not.toContain(TOKEN);
  });

  it('fails bad_response on a body that is not a search response', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    nock(BASE).post('/crm/v3/objects/calls/search').reply(200, { total: 1, results: 'not a list' });
    const error = await failureOf(collectAll(makeContext(dialsConfig()), '2026-11-16', '2026-11-16'));
    expect(error.errorClass).toBe('bad_response');
  });

  it('reports a malformed query as a config error naming the metric', async () => {
    const ctx = makeContext(makeConfig({ ftas: { query: { object: 'meetings', by: 'booked' } } }));
    const error = await failureOf(collectAll(ctx, '2026-11-16', '2026-11-16'));
    expect(error.errorClass).toBe('config');
    expect(error.message).toContain('metrics.ftas.query.by: ');
  });
});

describe('HubSpot check', () => {
  it('counts visible owners and names configured owners it cannot find', async () => {
    nock(BASE)
      .get('/crm/v3/owners')
      .query({ limit: '100' })
      .reply(200, { ...ownersPage(), paging: { next: { after: '4', link: '?after=4' } } });
    nock(BASE).get('/crm/v3/owners').query({ limit: '100', after: '4' }).reply(200, { results: [] });
    const { source } = testSource();
    const ctx = makeContext(makeConfig({ d: { query: { object: 'calls' } } }, { owners: [OWNERS.ava.email, 'gone@example.com'] }));
    expect(await source.check(ctx)).toEqual({ ok: true, detail: '4 owners visible; not found: gone@example.com' });
  });

  it('returns the redacted failure instead of throwing', async () => {
    nock(BASE)
      .get('/crm/v3/owners')
      .query({ limit: '100' })
      .reply(401, { status: 'error', message: `bad token ${TOKEN}`, category: 'INVALID_AUTHENTICATION' });
    const { source } = testSource();
    const result = await source.check(makeContext(dialsConfig()));
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('auth');
    expect(result.detail).not.toContain(TOKEN);
  });

  it('is not configured without a token', () => {
    const { source } = testSource();
    expect(source.configured({})).toBe(false);
    expect(source.configured({ HUBSPOT_ACCESS_TOKEN: '  ' })).toBe(false);
    expect(source.configured({ HUBSPOT_ACCESS_TOKEN: TOKEN })).toBe(true);
  });
});
