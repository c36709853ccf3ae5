import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { z } from 'zod';
import { createHttpClient } from '../../src/integrations/http.js';
import type { HttpClientOptions } from '../../src/integrations/http-types.js';
import { SourceError } from '../../src/integrations/errors.js';

const BASE = 'https://api.example.test';
const itemsSchema = z.object({ results: z.array(z.object({ id: z.string(), amount: z.number() })) });
const okBody = { results: [{ id: 'a1', amount: 12.5 }] };

let sleeps: number[];

function client(overrides: Partial<HttpClientOptions> = {}) {
  return createHttpClient({
    source: 'example',
    baseURL: BASE,
    limits: { default: { max: 100, perMs: 1000 } },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

beforeEach(() => {
  sleeps = [];
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('retries', () => {
  it('waits the Retry-After seconds on 429, then succeeds, counting the 429', async () => {
    const scope = nock(BASE).get('/items').reply(429, { message: 'slow down' }, { 'Retry-After': '2' }).get('/items').reply(200, okBody);
    const shared = { calls: 0, rateLimited: 0 };
    const http = client({ stats: shared });
    await expect(http.request({ url: '/items' }, itemsSchema)).resolves.toEqual(okBody);
    expect(sleeps).toEqual([2000]);
    expect(http.stats).toEqual({ calls: 2, rateLimited: 1, retries: 1 });
    expect(shared).toEqual({ calls: 2, rateLimited: 1 });
    scope.done();
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 5000).toUTCString();
    nock(BASE).get('/items').reply(503, 'busy', { 'Retry-After': at }).get('/items').reply(200, okBody);
    await client().request({ url: '/items' }, itemsSchema);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3000);
    expect(sleeps[0]).toBeLessThanOrEqual(5000);
  });

  it('uses the source reset headers when there is no Retry-After', async () => {
    nock(BASE).get('/items').reply(429, {}, { 'X-RateLimit-Reset': '1700000007' }).get('/items').reply(200, okBody);
    const http = client({
      retryDelayFromHeaders: (headers) => (Number(headers['x-ratelimit-reset']) - 1_700_000_000) * 1000,
    });
    await http.request({ url: '/items' }, itemsSchema);
    expect(sleeps).toEqual([7000]);
  });

  it('fails as rate_limited instead of waiting longer than maxRetryAfterMs', async () => {
    const scope = nock(BASE).get('/items').reply(429, { message: 'daily cap' }, { 'Retry-After': '86400' });
    const error = await failureOf(client().request({ url: '/items' }, itemsSchema));
    expect(error.errorClass).toBe('rate_limited');
    expect(error.message).toContain('asked to wait 86400 s');
    expect(sleeps).toEqual([]);
    scope.done();
  });

  it('retries 5xx twice with capped exponential backoff and full jitter, then succeeds', async () => {
    const scope = nock(BASE).get('/items').reply(500).get('/items').reply(502).get('/items').reply(200, okBody);
    const http = client({ retry: { baseDelayMs: 100, maxDelayMs: 150 } });
    await expect(http.request({ url: '/items' }, itemsSchema)).resolves.toEqual(okBody);
    // random() = 0.5: half of min(cap, base·2^attempt).
    expect(sleeps).toEqual([50, 75]);
    expect(http.stats.calls).toBe(3);
    scope.done();
  });

  it('retries a reset connection, then succeeds', async () => {
    const scope = nock(BASE)
      .get('/items')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get('/items')
      .reply(200, okBody);
    await expect(client().request({ url: '/items' }, itemsSchema)).resolves.toEqual(okBody);
    expect(sleeps).toHaveLength(1);
    scope.done();
  });

  it('gives up after maxRetries with the last error class', async () => {
    const scope = nock(BASE).get('/items').times(3).reply(503, { message: 'maintenance' });
    const http = client({ retry: { maxRetries: 2 } });
    const error = await failureOf(http.request({ url: '/items' }, itemsSchema));
    expect(error.errorClass).toBe('unavailable');
    expect(error.status).toBe(503);
    expect(error.message).toBe('example: unavailable: GET https://api.example.test/items → 503: maintenance');
    expect(http.stats.calls).toBe(3);
    scope.done();
  });

  it('never retries 401: exactly one call', async () => {
    const scope = nock(BASE).get('/items').reply(401, { message: 'bad token' });
    const http = client();
    const error = await failureOf(http.request({ url: '/items' }, itemsSchema));
    expect(error.errorClass).toBe('auth');
    expect(http.stats.calls).toBe(1);
    expect(sleeps).toEqual([]);
    scope.done();
  });

  it('treats 404 as a config error, not retried', async () => {
    const scope = nock(BASE).get('/nope').reply(404, { message: 'no such path' });
    const http = client();
    const error = await failureOf(http.request({ url: '/nope' }, itemsSchema));
    expect(error.errorClass).toBe('config');
    expect(error.status).toBe(404);
    expect(http.stats.calls).toBe(1);
    scope.done();
  });

  it('lets classify override the defaults (a daily 429 is final)', async () => {
    const scope = nock(BASE).get('/items').reply(429, { policyName: 'DAILY', message: 'You have reached your daily limit.' });
    const http = client({
      classify: ({ status, data }) =>
        status === 429 && (data as { policyName?: string }).policyName === 'DAILY'
          ? { errorClass: 'rate_limited', retryable: false, message: 'daily API limit reached' }
          : undefined,
    });
    const error = await failureOf(http.request({ url: '/items' }, itemsSchema));
    expect(error.errorClass).toBe('rate_limited');
    expect(error.message).toContain('daily API limit reached');
    expect(http.stats).toEqual({ calls: 1, rateLimited: 1, retries: 0 });
    scope.done();
  });
});

describe('misuse', () => {
  it('reports a request naming an unconfigured bucket as a config SourceError', async () => {
    const error = await failureOf(client().request({ url: '/items', bucket: 'serach' }, itemsSchema));
    expect(error.errorClass).toBe('config');
    expect(error.message).toContain('unknown limiter bucket "serach"');
  });
});

describe('validation', () => {
  it('turns schema drift into bad_response naming the paths, never the values', async () => {
    nock(BASE)
      .get('/items')
      .reply(200, { results: [{ id: 'a1', amount: 'sk_live_should_not_leak' }, { amount: 3 }] });
    const error = await failureOf(client().request({ url: '/items' }, itemsSchema));
    expect(error.errorClass).toBe('bad_response');
    expect(error.message).toContain('results.0.amount: invalid_type expected number');
    expect(error.message).toContain('results.1.id: invalid_type expected string');
    expect(error.message).not.toContain('sk_live_should_not_leak');
  });

  it('returns status and lower-cased headers with requestWithMeta, and sends params and body', async () => {
    nock(BASE).post('/search', { q: 'x' }).query({ limit: '10' }).reply(201, okBody, { 'X-Request-Id': 'r-1' });
    const response = await client().requestWithMeta(
      { method: 'POST', url: '/search', params: { limit: 10 }, data: { q: 'x' } },
      itemsSchema,
    );
    expect(response.status).toBe(201);
    expect(response.headers['x-request-id']).toBe('r-1');
    expect(response.data).toEqual(okBody);
  });
});
