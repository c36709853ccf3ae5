import nock from 'nock';
import type { ApiCall, ApiReply } from '../../helpers/source-fixtures.js';

/**
 * Salesforce bodies (provenance in fixtures/_sources.json) and a stateful fake org. The fortnight is
 * Mon 2026-10-26 … Sun 2026-11-08 in America/Chicago, across the end of DST on Sun 2026-11-01.
 *
 *   ARR__c on customer accounts: 120000.50, null, 48000.25 | next batch: 31999.25      → 200000.00
 *   open renewals closing in 90 days: COUNT() 7; Amount 30000 + 42000.5 + 12499.5     → 84500.00
 *   closed won (CloseDate, a Date): 10-26 1500.10, 11-01 2500 + 999.95, 11-08 10000, 11-09 outside
 *   high churn signals (CreatedDate, a datetime):
 *     2026-11-01T04:59:00.000+0000 = 10-31 23:59 CDT; 2026-11-01T05:30:00.000+0000 = 11-01 00:30 CDT;
 *     2026-11-02T05:30:00.000+0000 = 11-01 23:30 CST (the 25-hour day); 2026-11-05T18:00:00.000+0000 = 11-05
 */

export const LOGIN = 'https://acme-example.my.salesforce.com';
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
export const NOW = new Date('2026-11-08T16:00:00Z');
export const QUERY_PATH = '/services/data/v62.0/query';

const record = (type: string, id: string, fields: Record<string, unknown>) => ({
  attributes: { type, url: `/services/data/v62.0/sobjects/${type}/${id}` },
  ...fields,
});

export function queryPage(records: unknown[], next?: string, totalSize = records.length) {
  return { totalSize, done: next === undefined, ...(next ? { nextRecordsUrl: next } : {}), records };
}

export function tokenResponse(accessToken: string) {
  return {
    access_token: accessToken,
    signature: 'ZlXWq0mM3vY0nT3y5m1rM1dFqS2lE0oV1h4S9q7kWmA=',
    scope: 'api',
    instance_url: LOGIN,
    id: `https://login.salesforce.com/id/00D5g000004XyzAEAS/0055g00000AbCdEAAV`,
    token_type: 'Bearer',
    issued_at: '1793547600000',
  };
}

export const restError = (errorCode: string, message: string) => [{ message, errorCode }];
export const limits = { DailyApiRequests: { Max: 15000, Remaining: 14910 }, DailyBulkApiBatches: { Max: 15000, Remaining: 15000 } };

const NEXT_ARR = '/services/data/v62.0/query/01gRO0000016PIAYA2-2000';

/** Answers by the SOQL's object and shape; records the bound SOQL it was sent. */
function answer(q: string): ApiReply {
  if (q.startsWith('SELECT ARR__c FROM Account')) {
    return [
      200,
      queryPage(
        [
          record('Account', '0015g00000A1', { ARR__c: 120000.5 }),
          record('Account', '0015g00000A2', { ARR__c: null }),
          record('Account', '0015g00000A3', { ARR__c: 48000.25 }),
        ],
        NEXT_ARR,
        4,
      ),
    ];
  }
  if (q.startsWith('SELECT COUNT() FROM Opportunity')) return [200, queryPage([], undefined, 7)];
  if (q.startsWith('SELECT Amount FROM Opportunity')) {
    return [200, queryPage([30000, 42000.5, 12499.5].map((Amount, i) => record('Opportunity', `0065g0000R${i}`, { Amount })))];
  }
  if (q.startsWith('SELECT CloseDate, Amount FROM Opportunity')) {
    const won = [
      ['2026-10-26', 1500.1],
      ['2026-11-01', 2500],
      ['2026-11-01', 999.95],
      ['2026-11-08', 10000],
      ['2026-11-09', 777],
    ] as const;
    return [200, queryPage(won.map(([CloseDate, Amount], i) => record('Opportunity', `0065g0000W${i}`, { CloseDate, Amount })))];
  }
  if (q.startsWith('SELECT CreatedDate FROM Churn_Signal__c')) {
    const created = [
      '2026-11-01T04:59:00.000+0000',
      '2026-11-01T05:30:00.000+0000',
      '2026-11-02T05:30:00.000+0000',
      '2026-11-05T18:00:00.000+0000',
    ];
    return [200, queryPage(created.map((CreatedDate, i) => record('Churn_Signal__c', `a015g0000C${i}`, { CreatedDate })))];
  }
  return [400, restError('MALFORMED_QUERY', `unexpected query: ${q.slice(0, 60)}`)];
}

export interface FakeOrg {
  handler: (call: ApiCall) => ApiReply;
  /** Bound SOQL of every query call, in order. */
  soql: string[];
  tokensIssued: number;
}

/**
 * A fake org: the token endpoint issues `access-N` tokens; every API answer carries `Sforce-Limit-Info` counting from
 * `usedBefore` of 15 000. Only the newest token is accepted (`expireFirst` makes the first one already expired).
 */
export function fakeOrg(options: { usedBefore?: number; expireFirst?: boolean } = {}): FakeOrg {
  let used = options.usedBefore ?? 90;
  const org: FakeOrg = { handler: () => [500, null], soql: [], tokensIssued: 0 };
  org.handler = (call) => {
    if (call.method === 'POST' && call.path === '/services/oauth2/token') {
      org.tokensIssued++;
      return [200, tokenResponse(`00D5g000004XyzA!access-${org.tokensIssued}`)];
    }
    return [500, restError('UNKNOWN_EXCEPTION', 'unrouted')];
  };
  const api = (call: ApiCall, authorization: string | undefined): [number, unknown, Record<string, string>] => {
    const valid = `Bearer 00D5g000004XyzA!access-${org.tokensIssued}`;
    if (authorization !== valid || (options.expireFirst && org.tokensIssued === 1)) {
      return [401, restError('INVALID_SESSION_ID', 'Session expired or invalid'), {}];
    }
    used++;
    const headers = { 'Sforce-Limit-Info': `api-usage=${used}/15000` };
    if (call.path === QUERY_PATH) {
      const q = call.query.get('q') ?? '';
      org.soql.push(q);
      return [...answer(q), headers];
    }
    if (call.path === NEXT_ARR) return [200, queryPage([record('Account', '0015g00000A4', { ARR__c: 31999.25 })], undefined, 4), headers];
    if (call.path === '/services/data/v62.0/limits') return [200, limits, headers];
    return [404, restError('NOT_FOUND', 'The requested resource does not exist'), headers];
  };
  nock(LOGIN)
    .persist()
    .post('/services/oauth2/token')
    .reply((uri, body) => org.handler({ method: 'POST', path: uri, query: new URLSearchParams(), body }))
    .get(() => true)
    .reply(function (uri) {
      const url = new URL(uri, LOGIN);
      const authorization = this.req.headers.authorization;
      return api(
        { method: 'GET', path: url.pathname, query: url.searchParams, body: undefined },
        Array.isArray(authorization) ? authorization[0] : authorization,
      );
    });
  return org;
}
