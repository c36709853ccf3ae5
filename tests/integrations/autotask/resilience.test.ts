import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createAutotaskSource } from '../../../src/integrations/autotask/index.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { collectAll, createHarness, failureOf, sourceTestLifecycle, expectNoSecrets } from '../../helpers/source-harness.js';
import { API_HOST, API_ROOT, openedPage1, page, QUEUE_ID, zoneInformation } from './fixtures.js';

const SECRET = 'Sup3r$ecret/AutotaskKey+9';
const USERNAME = 'apiuser@example.com';
const CODE = 'TRACKINGID7H3QZ1';
const CREDENTIALS = [SECRET, USERNAME, CODE, encodeURIComponent(USERNAME)];
const TICKETS_QUERY = `${API_ROOT}/v1.0/Tickets/query`;

const { sleeps, track } = sourceTestLifecycle();
const source = () => createAutotaskSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(withZoneLookup = false) {
  const env = { AUTOTASK_USERNAME: USERNAME, AUTOTASK_SECRET: SECRET, AUTOTASK_INTEGRATION_CODE: CODE };
  const created = await createHarness({
    env: withZoneLookup ? env : { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}` },
    source: 'autotask',
    now: new Date('2026-11-05T15:00:00Z'),
    sources: { autotask: { queue: { id: QUEUE_ID } } },
    metrics: { tickets_opened: { kind: 'tickets_opened' } },
  });
  track(created);
  return created;
}

describe('Autotask failures', () => {
  it('waits out a 429 (Retry-After) and then succeeds', async () => {
    const api = nock(API_HOST)
      .post(TICKETS_QUERY)
      .reply(429, { errors: ['Too many requests'] }, { 'Retry-After': '3' })
      .post(TICKETS_QUERY)
      .reply(200, page(openedPage1));
    const h = await harness();
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    api.done();
    expect(values).toEqual([{ metricId: 'tickets_opened', day: '2026-11-01', value: 3 }]);
    expect(sleeps).toEqual([3000]);
    expect(h.ctx.stats).toEqual({ calls: 2, rateLimited: 1 });
  });

  it('recovers from a 5xx with backoff', async () => {
    const api = nock(API_HOST)
      .post(TICKETS_QUERY)
      .reply(503, { errors: ['Service unavailable'] })
      .post(TICKETS_QUERY)
      .reply(200, page(openedPage1));
    const h = await harness();
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    api.done();
    expect(values).toEqual([{ metricId: 'tickets_opened', day: '2026-11-01', value: 3 }]);
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry an authentication failure: exactly one call', async () => {
    let hits = 0;
    nock(API_HOST)
      .post(TICKETS_QUERY)
      .times(5)
      .reply(() => {
        hits++;
        return [401, { errors: ['Unauthorized'] }];
      });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expect(hits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('says which credentials to check when doctor fails to authenticate', async () => {
    nock(API_HOST)
      .post(`${API_ROOT}/v1.0/Resources/query/count`)
      .reply(401, { errors: ['Unauthorized'] });
    const h = await harness();
    const result = await source().check(h.ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^authentication failed: check AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE/);
    expectNoSecrets([result.detail], CREDENTIALS);
  });

  it('rejects a malformed body as bad_response', async () => {
    nock(API_HOST)
      .post(TICKETS_QUERY)
      .reply(200, { items: [{ id: 'not-a-number', createDate: 'yesterday' }], pageDetails: { count: 1 } });
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({ errorClass: 'bad_response' });
  });

  it('keeps the Secret header, user name and integration code out of every log line and error', async () => {
    nock('https://webservices.autotask.net')
      .get('/atservicesrest/v1.0/ZoneInformation')
      .query({ user: USERNAME })
      .reply(200, zoneInformation);
    nock(API_HOST)
      .post(TICKETS_QUERY)
      .reply(429, { errors: [`rate limited for ${USERNAME}`] }, { 'Retry-After': '1' })
      .post(TICKETS_QUERY)
      // An error body that echoes the credentials, as some gateways do.
      .reply(403, { errors: [`Secret ${SECRET} for ${USERNAME} (${CODE}) is not valid`] });
    const h = await harness(true);
    const error = await failureOf(collectAll(source(), h, '2026-11-01', '2026-11-01'));
    expect(error).toMatchObject({ errorClass: 'auth' });
    expect(h.logLines.length).toBeGreaterThanOrEqual(3);
    expect(h.logLines.join('')).toContain('[REDACTED]');
    expectNoSecrets([...h.logLines, (error as Error).message], CREDENTIALS);
  });
});
