import { beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createBillSource } from '../../../src/integrations/bill/index.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { collectAll, createHarness, sourceTestLifecycle, failureOf } from '../../helpers/source-harness.js';
import { BASE, billError, listPage, loginResponse, ROOT, vendorsPage2 } from './fixtures.js';

const PASSWORD = 'P@ss-w0rd!Bill#42';
const DEV_KEY = '01DEVKEYQ7W3ZK9X1234';
const FIRST_SESSION = 'sess!9f8e7d6c5b4a-0001';
const SECOND_SESSION = 'sess!9f8e7d6c5b4a-0002';
const env = {
  BILL_USERNAME: 'ap-bot@example.com',
  BILL_PASSWORD: PASSWORD,
  BILL_ORGANIZATION_ID: '00802DEVKGROHKDIY4zyx',
  BILL_DEV_KEY: DEV_KEY,
  BILL_BASE_URL: `${BASE}/connect`,
};
const VENDORS = `${ROOT}/vendors`;
const ACTIVE = { max: '100', filters: 'archived:eq:false' };
const onlyVendors = { vendors_not_onboarded: { kind: 'vendors_not_onboarded', aggregate: 'last' as const } };
const ONE_VENDOR_OK = [{ metricId: 'vendors_not_onboarded', day: '2026-11-01', value: 0 }];

let logins: number;
const { sleeps, track } = sourceTestLifecycle();
const source = () => createBillSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness() {
  const created = await createHarness({ env, source: 'bill', now: new Date('2026-11-01T17:00:00Z'), metrics: onlyVendors });
  return track(created);
}

/** Login answers with the given sessions in turn; `logins` counts the calls. */
function mockLogins(...sessions: string[]) {
  for (const sessionId of sessions) {
    nock(BASE)
      .post(`${ROOT}/login`)
      .reply(() => {
        logins++;
        return [200, loginResponse(sessionId)];
      });
  }
}

const session = (sessionId: string) => nock(BASE, { reqheaders: { sessionId, devKey: DEV_KEY } });

beforeEach(() => {
  logins = 0;
});

describe('BILL failures', () => {
  it('waits out a 429 (Retry-After) and then succeeds', async () => {
    mockLogins(FIRST_SESSION);
    const api = session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(429, billError('BDC_1999', 'Too many requests'), { 'Retry-After': '2' })
      .get(VENDORS)
      .query(ACTIVE)
      .reply(200, listPage(vendorsPage2));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).resolves.toEqual(ONE_VENDOR_OK);
    api.done();
    expect(sleeps).toEqual([2000]);
    expect(h.ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('recovers from a 5xx with backoff', async () => {
    mockLogins(FIRST_SESSION);
    const api = session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(502, 'Bad Gateway')
      .get(VENDORS)
      .query(ACTIVE)
      .reply(200, listPage(vendorsPage2));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).resolves.toEqual(ONE_VENDOR_OK);
    api.done();
    expect(sleeps).toHaveLength(1);
  });

  it('retries BDC_1322 (too many concurrent requests) with backoff', async () => {
    mockLogins(FIRST_SESSION);
    session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(400, billError('BDC_1322', 'Max number of concurrent requests per organization reached.'))
      .get(VENDORS)
      .query(ACTIVE)
      .reply(200, listPage(vendorsPage2));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).resolves.toEqual(ONE_VENDOR_OK);
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry a failed login: exactly one call, an auth error, and a clear doctor line', async () => {
    let hits = 0;
    nock(BASE)
      .post(`${ROOT}/login`)
      .times(5)
      .reply(() => {
        hits++;
        return [401, billError('BDC_1101', 'User name and/or password do not match our records.')];
      });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expect((error as Error).message).toContain('user name or password rejected (BDC_1101)');
    expect(hits).toBe(1);

    const result = await source().check(h.ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^sign-in failed: check BILL_USERNAME, BILL_PASSWORD, BILL_ORGANIZATION_ID and BILL_DEV_KEY/);
    expect(hits).toBe(2);
  });

  it('rejects a malformed list as bad_response', async () => {
    mockLogins(FIRST_SESSION);
    session(FIRST_SESSION).get(VENDORS).query(ACTIVE).reply(200, { results: 'none', nextPage: null });
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({ errorClass: 'bad_response' });
  });

  it('signs in again once when the session has expired (BDC_1109), then retries the call', async () => {
    mockLogins(FIRST_SESSION, SECOND_SESSION);
    const shared = source();
    session(FIRST_SESSION).get(VENDORS).query(ACTIVE).reply(200, listPage(vendorsPage2));
    await collectAll(shared, await harness(), '2026-11-01', '2026-11-01');

    // Later the cached session has expired on BILL's side.
    const expired = session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(401, billError('BDC_1109', 'Session is invalid.  Please log in.'));
    const renewed = session(SECOND_SESSION).get(VENDORS).query(ACTIVE).reply(200, listPage(vendorsPage2));
    await expect(collectAll(shared, await harness(), '2026-11-01', '2026-11-01')).resolves.toEqual(ONE_VENDOR_OK);
    expired.done();
    renewed.done();
    expect(logins).toBe(2);
  });

  it('does not sign in again or retry on BDC_1144 (hourly limit): it waits for the next hour', async () => {
    mockLogins(FIRST_SESSION, SECOND_SESSION);
    let hits = 0;
    session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .times(3)
      .reply(() => {
        hits++;
        return [429, billError('BDC_1144', 'Max number of allowed requests per hour reached: 20000.')];
      });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toMatchObject({ errorClass: 'rate_limited' });
    expect((error as Error).message).toContain('BDC_1144');
    expect(hits).toBe(1);
    expect(logins).toBe(1);
  });

  it('keeps the password, developer key and session ids out of every log line and error', async () => {
    mockLogins(FIRST_SESSION, SECOND_SESSION);
    session(FIRST_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(401, billError('BDC_1109', `Session ${FIRST_SESSION} is invalid.  Please log in.`));
    session(SECOND_SESSION)
      .get(VENDORS)
      .query(ACTIVE)
      .reply(503, billError('BDC_1001', `devKey ${DEV_KEY} hit a system error`))
      .get(VENDORS)
      .query(ACTIVE)
      .reply(403, billError('BDC_1999', `sessionId=${SECOND_SESSION} password=${PASSWORD} rejected`));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toMatchObject({ errorClass: 'auth' });
    expect(logins).toBe(2);
    const texts = [...h.logLines, (error as Error).message];
    expect(h.logLines.length).toBeGreaterThanOrEqual(4);
    for (const text of texts) {
      for (const secret of [PASSWORD, DEV_KEY, FIRST_SESSION, SECOND_SESSION, encodeURIComponent(PASSWORD)]) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
