import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';

/**
 * BigQuery bodies (provenance in fixtures/_sources.json) and a stateful fake: a loopback token endpoint for the JWT
 * grant and the jobs.query / jobs.getQueryResults pair. The fortnight is Mon 2026-10-26 … Sun 2026-11-08; the SQL
 * computes local days itself (`DATE(ts, @timezone)`), so the fake answers days as BigQuery would.
 */

export const API = 'https://bigquery.googleapis.com';
export const TOKEN_HOST = 'http://127.0.0.1:9';
export const TOKEN_URL = `${TOKEN_HOST}/token`;
export const PROJECT = 'acme-analytics';
export const QUERIES_PATH = `/bigquery/v2/projects/${PROJECT}/queries`;
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
export const NOW = new Date('2026-11-08T16:00:00Z');

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
export const SERVICE_ACCOUNT = JSON.stringify({
  type: 'service_account',
  project_id: PROJECT,
  private_key_id: '2b7f4c1e9a0d3f5b6c8e1a2d4f6b8c0e1a3d5f7b',
  private_key: PRIVATE_KEY,
  client_email: `scorecard@${PROJECT}.iam.gserviceaccount.com`,
  client_id: '104392039284756102938',
  token_uri: 'https://oauth2.googleapis.com/token',
});

export const tokenResponse = (accessToken: string) => ({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });

export function googleError(code: number, reason: string, message: string, status = 'INVALID_ARGUMENT') {
  return { error: { code, message, errors: [{ domain: 'global', reason, message }], status } };
}

type Cell = string | null;
const FIELDS = {
  signups: [
    { name: 'day', type: 'DATE', mode: 'NULLABLE' },
    { name: 'value', type: 'INTEGER', mode: 'NULLABLE' },
  ],
  trials: [
    { name: 'day', type: 'DATE', mode: 'NULLABLE' },
    { name: 'numerator', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'denominator', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'value', type: 'FLOAT', mode: 'NULLABLE' },
  ],
};

/** Sign-ups per local day (11-01 is the 25-hour day); days without sign-ups have no row. */
export const SIGNUP_ROWS: Cell[][] = [
  ['2026-10-26', '12'],
  ['2026-10-27', '9'],
  ['2026-10-31', '4'],
  ['2026-11-01', '25'],
  ['2026-11-02', '11'],
  ['2026-11-08', '7'],
];
export const TRIAL_ROWS: Cell[][] = [
  ['2026-10-30', '3', '8', '37.5'],
  ['2026-11-01', '1', '3', '33.333333333333336'],
  ['2026-11-06', '0', '5', '0.0'],
];

export function queryResponse(
  kind: keyof typeof FIELDS,
  rows: Cell[][] | undefined,
  options: { jobComplete?: boolean; pageToken?: string; jobId?: string } = {},
) {
  const complete = options.jobComplete ?? true;
  return {
    kind: 'bigquery#queryResponse',
    jobReference: { projectId: PROJECT, jobId: options.jobId ?? `job_${kind}`, location: 'US' },
    jobComplete: complete,
    ...(complete
      ? {
          schema: { fields: FIELDS[kind] },
          totalRows: String((kind === 'signups' ? SIGNUP_ROWS : TRIAL_ROWS).length),
          rows: (rows ?? []).map((row) => ({ f: row.map((v) => ({ v })) })),
          totalBytesProcessed: '48213',
          cacheHit: false,
          ...(options.pageToken ? { pageToken: options.pageToken } : {}),
        }
      : {}),
  };
}

export interface FakeBigQuery {
  /** Every jobs.query body received. */
  queries: Record<string, unknown>[];
  results: { jobId: string; params: URLSearchParams }[];
  tokens: number;
}

/**
 * Sign-ups: jobs.query answers `jobComplete: false`; the first getQueryResults answers the first four rows and a
 * page token, the second the rest. Trials: complete at once, one page. Tokens `ya29.token-N`; only the newest passes.
 */
export function fakeBigQuery(): FakeBigQuery {
  const fake: FakeBigQuery = { queries: [], results: [], tokens: 0 };
  nock(TOKEN_HOST)
    .persist()
    .post('/token')
    .reply(() => [200, tokenResponse(`ya29.token-${++fake.tokens}`)]);
  const authorized = (header: string | string[] | undefined) => header === `Bearer ya29.token-${fake.tokens}`;
  nock(API)
    .persist()
    .post(QUERIES_PATH)
    .reply(function (_uri, body) {
      if (!authorized(this.req.headers.authorization))
        return [401, googleError(401, 'authError', 'Invalid Credentials', 'UNAUTHENTICATED')];
      const request = body as Record<string, unknown>;
      fake.queries.push(request);
      if (String(request.query).includes('signups')) return [200, queryResponse('signups', undefined, { jobComplete: false })];
      return [200, queryResponse('trials', TRIAL_ROWS)];
    })
    .get(/\/bigquery\/v2\/projects\/acme-analytics\/queries\/job_signups/)
    .query(true)
    .reply(function (uri) {
      if (!authorized(this.req.headers.authorization))
        return [401, googleError(401, 'authError', 'Invalid Credentials', 'UNAUTHENTICATED')];
      const params = new URL(uri, API).searchParams;
      fake.results.push({ jobId: 'job_signups', params });
      return params.get('pageToken')
        ? [200, queryResponse('signups', SIGNUP_ROWS.slice(4))]
        : [200, queryResponse('signups', SIGNUP_ROWS.slice(0, 4), { pageToken: 'BFWUIPQBXMAQAAASA4EAAEEAQCAAKGQIBCFVUEQ' })];
    })
    .get(`/bigquery/v2/projects/${PROJECT}/datasets`)
    .query(true)
    .reply(200, {
      kind: 'bigquery#datasetList',
      etag: 'x',
      datasets: [{ kind: 'bigquery#dataset', id: `${PROJECT}:product`, location: 'US' }],
    });
  return fake;
}
