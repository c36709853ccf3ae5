import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createBigQuerySource } from '../../../src/integrations/bigquery/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { staleHours } from '../../../src/metrics/status.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { byDay, collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import {
  API,
  fakeBigQuery,
  FROM,
  googleError,
  NOW,
  PRIVATE_KEY,
  PROJECT,
  QUERIES_PATH,
  SERVICE_ACCOUNT,
  TO,
  TOKEN_HOST,
  TOKEN_URL,
  tokenResponse,
} from './fixtures.js';

const ENV = { GOOGLE_SERVICE_ACCOUNT_JSON: SERVICE_ACCOUNT, BIGQUERY_PROJECT_ID: PROJECT, BIGQUERY_TOKEN_URL: TOKEN_URL };
const SETTINGS = { bigquery: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const examples = commentedExampleMetrics('Warehouse: BigQuery');
const SECRETS = [PRIVATE_KEY.split('\n')[1]!, 'ya29.token-1', 'ya29.token-2'];

const { sleeps, track } = sourceTestLifecycle();
const source = () => createBigQuerySource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
const harness = async (metrics = harnessMetrics(examples)) =>
  track(await createHarness({ env: ENV, source: 'bigquery', now: NOW, sources: SETTINGS, metrics }));

function fortnight(nonZero: Record<string, number>): Record<string, number> {
  const days: Record<string, number> = {};
  for (let d = new Date(`${FROM}T12:00:00Z`); d.toISOString().slice(0, 10) <= TO; d.setUTCDate(d.getUTCDate() + 1))
    days[d.toISOString().slice(0, 10)] = 0;
  return { ...days, ...nonZero };
}

describe('BigQuery source', () => {
  it('runs each example query with named parameters and a bytes cap, waits for the job and follows pageToken', async () => {
    const fake = fakeBigQuery();
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);
    expect(byDay(values, 'product_signups')).toEqual(
      fortnight({ '2026-10-26': 12, '2026-10-27': 9, '2026-10-31': 4, '2026-11-01': 25, '2026-11-02': 11, '2026-11-08': 7 }),
    );
    const trials = byDay(values, 'trial_conversion_rate', (v) => [v.value, v.numerator, v.denominator]);
    expect(trials['2026-10-30']).toEqual([37.5, 3, 8]);
    expect(trials['2026-11-01']).toEqual([33.333333333333336, 1, 3]);
    expect(trials['2026-11-06']).toEqual([0, 0, 5]);
    expect(trials['2026-11-07']).toEqual([0, 0, 0]);

    expect(fake.queries[0]).toMatchObject({
      useLegacySql: false,
      parameterMode: 'NAMED',
      maximumBytesBilled: '1000000000',
      queryParameters: [
        { name: 'from', parameterType: { type: 'DATE' }, parameterValue: { value: FROM } },
        { name: 'to', parameterType: { type: 'DATE' }, parameterValue: { value: TO } },
        { name: 'timezone', parameterType: { type: 'STRING' }, parameterValue: { value: 'America/Chicago' } },
      ],
    });
    expect(fake.queries[0]!.query).not.toContain(FROM);
    // One wait for the job (which answered the first page), then the second page by its token.
    expect(fake.results.map((call) => call.params.get('pageToken'))).toEqual([null, 'BFWUIPQBXMAQAAASA4EAAEEAQCAAKGQIBCFVUEQ']);
    expect(fake.results[0]!.params.get('location')).toBe('US');
    expect(fake.tokens).toBe(1);
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('refreshes twice to the same stored values', async () => {
    fakeBigQuery();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, now: NOW, sources: [source()] };
    const ids = Object.keys(examples);
    expect((await refresh(deps, { sourceIds: ['bigquery'], from: FROM, to: TO })).results[0]).toMatchObject({
      status: 'ok',
      // 28 collected; the 11 days of the ratio with nothing to divide (0 ÷ 0) store no value, as the catalog says.
      valuesWritten: 17,
    });
    const stored = await getDailyValues(h.store, ids, FROM, '2026-11-09');
    await refresh(deps, { sourceIds: ['bigquery'], from: FROM, to: TO });
    expect(await getDailyValues(h.store, ids, FROM, '2026-11-09')).toEqual(stored);
  });

  it('fetches a new token once when the API rejects the cached one', async () => {
    nock(API)
      .post(QUERIES_PATH)
      .reply(401, googleError(401, 'authError', 'Request had invalid authentication credentials.', 'UNAUTHENTICATED'));
    const fake = fakeBigQuery();
    const h = await harness({ trial_conversion_rate: harnessMetrics(examples).trial_conversion_rate! });
    await expect(collectAll(source(), h, FROM, TO)).resolves.toHaveLength(14);
    expect(fake.tokens).toBe(2);
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('stops at a rejected service account: auth, no API call, no key in the error', async () => {
    nock(TOKEN_HOST).post('/token').reply(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const api = nock(API).post(QUERIES_PATH).reply(200, {});
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({
      errorClass: 'auth',
      message: expect.stringContaining('token request rejected (invalid_grant: Invalid JWT Signature.)'),
    });
    expect(api.isDone()).toBe(false);
    expectNoSecrets([String(error), ...h.logLines], SECRETS);
  });

  it('retries rateLimitExceeded and a 5xx, then succeeds', async () => {
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.token-1'));
    nock(API)
      .post(QUERIES_PATH)
      .reply(
        403,
        googleError(403, 'rateLimitExceeded', 'Exceeded rate limits: too many api requests per user per method', 'PERMISSION_DENIED'),
      )
      .post(QUERIES_PATH)
      .reply(503, googleError(503, 'backendError', 'Backend error', 'UNAVAILABLE'))
      .post(QUERIES_PATH)
      .reply(200, { ...(await import('./fixtures.js')).queryResponse('trials', [['2026-11-01', '1', '2', '50']]) });
    const h = await harness({ trial_conversion_rate: harnessMetrics(examples).trial_conversion_rate! });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    expect(values).toEqual([{ metricId: 'trial_conversion_rate', day: '2026-11-01', value: 50, numerator: 1, denominator: 2 }]);
    expect(sleeps).toEqual([250, 500]);
  });

  it('names the metric and the setting when a query would bill too many bytes', async () => {
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.token-1'));
    nock(API)
      .post(QUERIES_PATH, (body) => body.maximumBytesBilled === '5000')
      .reply(
        400,
        googleError(400, 'bytesBilledLimitExceeded', 'Query exceeded limit for bytes billed: 5000. 10485760 or higher required.'),
      );
    const h = track(
      await createHarness({
        env: ENV,
        source: 'bigquery',
        now: NOW,
        sources: { bigquery: { ...SETTINGS.bigquery, maximum_bytes_billed: 5000 } },
        metrics: { product_signups: harnessMetrics(examples).product_signups! },
      }),
    );
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({
      errorClass: 'config',
      message: expect.stringMatching(
        /metrics\.product_signups\.query\.sql: .*bytesBilledLimitExceeded.*sources\.bigquery\.maximum_bytes_billed is 5000/,
      ),
    });
    expect(sleeps).toEqual([]);
  });

  it('names the metric when the result has the wrong columns', async () => {
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.token-1'));
    nock(API)
      .post(QUERIES_PATH)
      .reply(200, {
        jobComplete: true,
        jobReference: { projectId: PROJECT, jobId: 'job_x', location: 'US' },
        schema: {
          fields: [
            { name: 'signup_day', type: 'DATE' },
            { name: 'value', type: 'INTEGER' },
          ],
        },
        rows: [{ f: [{ v: '2026-11-01' }, { v: '3' }] }],
      });
    const h = await harness({ product_signups: harnessMetrics(examples).product_signups! });
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining(
        'metrics.product_signups.query.sql: the result has no "day" column (columns: signup_day DATE, value INTEGER)',
      ),
    });
  });

  it('keeps the last good values, marked stale, when the body drifts', async () => {
    fakeBigQuery();
    const h = await harness({ trial_conversion_rate: harnessMetrics(examples).trial_conversion_rate! });
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    expect((await refresh({ ...deps, now: NOW }, { from: FROM, to: TO })).ok).toBe(true);
    const good = await getDailyValues(h.store, ['trial_conversion_rate'], FROM, '2026-11-09');
    nock.cleanAll();
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.token-9'));
    // Cells as numbers instead of BigQuery's strings.
    nock(API)
      .post(QUERIES_PATH)
      .reply(200, {
        jobComplete: true,
        jobReference: { projectId: PROJECT, jobId: 'j' },
        schema: { fields: [] },
        rows: [{ f: [{ v: 1 }] }],
      });
    const later = new Date(NOW.getTime() + 5 * 3_600_000);
    const second = await refresh({ ...deps, now: later }, { from: FROM, to: TO });
    expect(second.results[0]).toMatchObject({
      status: 'failed',
      errorClass: 'bad_response',
      error: expect.stringContaining('rows.0.f.0.v'),
    });
    const kept = await getDailyValues(h.store, ['trial_conversion_rate'], FROM, '2026-11-09');
    expect(kept).toEqual(good);
    expect(staleHours(kept[0]!.fetched_at, later, 4, later.toISOString())).toBe(5);
  });
});
