import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createDattoSource } from '../../../src/integrations/datto/index.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { collectAll, collectUntilFailure, createHarness, sourceTestLifecycle, expectNoSecrets } from './harness.js';
import { DEVICES_PATH, devicesPage, NOW, PAGE_2_URL, RMM_HOST, rmmDevice, rmmPage1, rmmPage2, token } from './fixtures.js';

const API_KEY = 'RMMKEY3B7T9Q2W5E8R1Y';
const API_SECRET = 'RMMSECRET+x7/k2Q9w!m4Z0p';
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcGkifQ.c2lnbmF0dXJlX29uZQ';
const RENEWED_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcGkyIn0.c2lnbmF0dXJlX3R3bw';
const PUBLIC_CLIENT = `Basic ${Buffer.from('public-client:public').toString('base64')}`;
const SECRETS = [API_KEY, API_SECRET, encodeURIComponent(API_SECRET), ACCESS_TOKEN, RENEWED_TOKEN];
const TOKEN_PATH = '/auth/oauth/token';
const MISSING_5 = { devices_missing_patches: { kind: 'devices_missing_patches', more_than: 5 } };
const FIRST_PAGE = { page: '0', max: '250' };

const { sleeps, track } = sourceTestLifecycle();
const source = () => createDattoSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(
  options: { metrics?: Record<string, Record<string, unknown>>; env?: Record<string, string>; settings?: Record<string, unknown> } = {},
) {
  const created = await createHarness({
    env: { DATTO_RMM_API_KEY: API_KEY, DATTO_RMM_API_SECRET: API_SECRET, ...options.env },
    now: NOW,
    metrics: options.metrics ?? MISSING_5,
    settings: options.settings,
  });
  track(created);
  return created;
}

/** The password grant through Datto's public client, answering `accessToken`. */
function grant(scope: nock.Scope, accessToken = ACCESS_TOKEN) {
  return scope
    .post(TOKEN_PATH, { grant_type: 'password', username: API_KEY, password: API_SECRET })
    .matchHeader('authorization', PUBLIC_CLIENT)
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(200, token(accessToken));
}

const bearer = (accessToken = ACCESS_TOKEN) => ({ reqheaders: { authorization: `Bearer ${accessToken}` } });

describe('Datto RMM devices missing patches', () => {
  it('authenticates, follows nextPageUrl to the end and counts exactly per threshold', async () => {
    const auth = grant(nock(RMM_HOST));
    const api = nock(RMM_HOST, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage(rmmPage1, PAGE_2_URL))
      .get(DEVICES_PATH)
      .query({ max: '250', page: '1' })
      .reply(200, devicesPage(rmmPage2, null, `${RMM_HOST}${DEVICES_PATH}?max=250&page=0`));
    const h = await harness({ metrics: { ...MISSING_5, devices_behind: { kind: 'devices_missing_patches' } } });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-05');
    auth.done();
    api.done();
    expect(values).toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 4 },
      { metricId: 'devices_behind', day: '2026-11-05', value: 5 },
    ]);
    expect(h.ctx.stats).toEqual({ calls: 3, rateLimited: 0 });
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('makes no call when today is outside the window', async () => {
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-06', '2026-11-12')).resolves.toEqual([]);
    expect(h.ctx.stats.calls).toBe(0);
  });

  it('reaches the configured platform, or DATTO_RMM_BASE_URL with or without /api', async () => {
    const merlot = 'https://merlot-api.centrastage.net';
    const onMerlot = grant(nock(merlot));
    nock(merlot, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage([rmmPage1[1]], null));
    const h = await harness({ settings: { platform: 'merlot' } });
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 1 },
    ]);
    onMerlot.done();

    const sandbox = 'https://rmm-sandbox.example.test';
    const onSandbox = grant(nock(sandbox));
    nock(sandbox, bearer()).get(DEVICES_PATH).query(FIRST_PAGE).reply(200, devicesPage([], null));
    const overridden = await harness({ settings: { platform: 'merlot' }, env: { DATTO_RMM_BASE_URL: `${sandbox}/api/` } });
    await expect(collectAll(source(), overridden, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 0 },
    ]);
    onSandbox.done();
  });

  it('keeps the token in memory between runs of the same source', async () => {
    const auth = grant(nock(RMM_HOST));
    const api = nock(RMM_HOST, bearer()).get(DEVICES_PATH).query(FIRST_PAGE).twice().reply(200, devicesPage(rmmPage2, null));
    const datto = source();
    const first = await harness();
    const second = await harness();
    await collectAll(datto, first, '2026-11-05', '2026-11-05');
    await expect(collectAll(datto, second, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 1 },
    ]);
    auth.done();
    api.done();
    expect(second.ctx.stats.calls).toBe(1);
    // Nothing of the token is persisted.
    expect(await second.store.db.selectFrom('sync_state').selectAll().execute()).toEqual([]);
  });

  it('renews the token once on a 401 and carries on', async () => {
    const auth = grant(grant(nock(RMM_HOST)), RENEWED_TOKEN);
    const stale = nock(RMM_HOST, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(401, { error: 'invalid_token', error_description: 'Access token expired' });
    const renewed = nock(RMM_HOST, bearer(RENEWED_TOKEN))
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage(rmmPage1, PAGE_2_URL))
      .get(DEVICES_PATH)
      .query({ max: '250', page: '1' })
      .reply(200, devicesPage(rmmPage2, null));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 4 },
    ]);
    auth.done();
    stale.done();
    renewed.done();
    expect(h.ctx.stats.calls).toBe(5);
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('gives up when the renewed token is refused too', async () => {
    const auth = grant(grant(nock(RMM_HOST)), RENEWED_TOKEN);
    const api = nock(RMM_HOST).get(DEVICES_PATH).query(FIRST_PAGE).twice().reply(401, { error: 'invalid_token' });
    const h = await harness();
    const { values, error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    auth.done();
    api.done();
    expect(values).toEqual([]);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expect(h.ctx.stats.calls).toBe(4);
  });

  it('does not retry a refused key and secret (401 on the token), and leaks nothing', async () => {
    let hits = 0;
    nock(RMM_HOST)
      .post(TOKEN_PATH)
      .times(5)
      .reply(() => {
        hits++;
        return [401, { error: 'unauthorized', error_description: 'Full authentication is required' }];
      });
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(hits).toBe(1);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expectNoSecrets([...h.logLines, (error as Error).message, String((error as Error).stack)], SECRETS);
  });

  it('treats a rejected password grant (400 invalid_grant) as an auth failure', async () => {
    let hits = 0;
    nock(RMM_HOST)
      .post(TOKEN_PATH)
      .times(3)
      .reply(() => {
        hits++;
        return [400, { error: 'invalid_grant', error_description: 'Bad credentials' }];
      });
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(hits).toBe(1);
    expect(error).toMatchObject({ errorClass: 'auth', status: 400 });
    expectNoSecrets([(error as Error).message, ...h.logLines], SECRETS);
  });

  it('waits out a 429 and recovers from a 5xx', async () => {
    const auth = grant(nock(RMM_HOST));
    const api = nock(RMM_HOST, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(429, { message: 'Request rate exceeded' }, { 'Retry-After': '12' })
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage(rmmPage1, PAGE_2_URL))
      .get(DEVICES_PATH)
      .query({ max: '250', page: '1' })
      .reply(502, 'Bad Gateway')
      .get(DEVICES_PATH)
      .query({ max: '250', page: '1' })
      .reply(200, devicesPage(rmmPage2, null));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'devices_missing_patches', day: '2026-11-05', value: 4 },
    ]);
    auth.done();
    api.done();
    expect(sleeps[0]).toBe(12_000);
    expect(sleeps).toHaveLength(2);
    expect(h.ctx.stats).toEqual({ calls: 5, rateLimited: 1 });
  });

  it('calls a malformed devices page bad_response', async () => {
    grant(nock(RMM_HOST));
    const broken = { ...devicesPage([rmmDevice(1, 'd1', { patchStatus: 'InstallError', patchesApprovedPending: -2 })], null) };
    nock(RMM_HOST, bearer()).get(DEVICES_PATH).query(FIRST_PAGE).reply(200, broken);
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'bad_response' });
    expect((error as Error).message).toContain('devices.0.patchManagement.patchesApprovedPending');
  });

  it('calls a token body without access_token bad_response, quoting no value', async () => {
    nock(RMM_HOST).post(TOKEN_PATH).reply(200, { token_type: 'bearer', refresh_token: ACCESS_TOKEN });
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'bad_response' });
    expectNoSecrets([(error as Error).message, ...h.logLines], SECRETS);
  });

  it('never sends the token to a next page on another host', async () => {
    grant(nock(RMM_HOST));
    nock(RMM_HOST, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage(rmmPage1, `https://attacker.example.test${DEVICES_PATH}?page=1`));
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'bad_response' });
    expect((error as Error).message).toContain('another host');
    expect(h.ctx.stats.calls).toBe(2);
  });

  it('stops when the API returns the same next page twice', async () => {
    grant(nock(RMM_HOST));
    nock(RMM_HOST, bearer())
      .get(DEVICES_PATH)
      .query(FIRST_PAGE)
      .reply(200, devicesPage(rmmPage1, PAGE_2_URL))
      .get(DEVICES_PATH)
      .query({ max: '250', page: '1' })
      .reply(200, devicesPage(rmmPage2, PAGE_2_URL));
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'bad_response' });
    expect(h.ctx.stats.calls).toBe(3);
  });
});
