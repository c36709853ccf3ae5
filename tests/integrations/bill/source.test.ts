import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createBillSource } from '../../../src/integrations/bill/index.js';
import { MISSING_W9_WARNING } from '../../../src/integrations/bill/map.js';
import { billQuerySchema, billSettingsSchema } from '../../../src/integrations/bill/schemas.js';
import { collectAll, createHarness, type Harness } from '../../helpers/source-harness.js';
import { BASE, billsPage1, billsPage2, listPage, loginResponse, ROOT, vendorsPage1, vendorsPage2 } from './fixtures.js';

const PASSWORD = 'P@ss-w0rd!Bill#42';
const DEV_KEY = '01DEVKEYQ7W3ZK9X1234';
const SESSION = 'sess!9f8e7d6c5b4a-0001';
const env = {
  BILL_USERNAME: 'ap-bot@example.com',
  BILL_PASSWORD: PASSWORD,
  BILL_ORGANIZATION_ID: '00802DEVKGROHKDIY4zyx',
  BILL_DEV_KEY: DEV_KEY,
  BILL_BASE_URL: `${BASE}/connect/v3`,
};
/** 11:00 CST on Sun 2026-11-01, the day DST ends in Chicago. */
const NOW = new Date('2026-11-01T17:00:00Z');
const ACTIVE = { max: '100', filters: 'archived:eq:false' };

let harnesses: Harness[];
const source = () => createBillSource({ sleep: async () => undefined, random: () => 0.5 });

async function harness(options: Partial<Parameters<typeof createHarness>[0]> = {}) {
  const created = await createHarness({
    env,
    source: 'bill',
    now: NOW,
    metrics: {
      bills_pending_approval: { kind: 'bills_pending_approval', aggregate: 'last' },
      bills_pending_amount: { kind: 'bills_pending_amount', unit: 'currency', aggregate: 'last' },
      vendors_not_onboarded: { kind: 'vendors_not_onboarded', aggregate: 'last' },
      bills_missing_w9: { kind: 'bills_missing_w9', aggregate: 'last' },
    },
    ...options,
  });
  harnesses.push(created);
  return created;
}

function mockLogin(sessionId = SESSION) {
  return nock(BASE)
    .post(`${ROOT}/login`, { username: env.BILL_USERNAME, password: PASSWORD, organizationId: env.BILL_ORGANIZATION_ID, devKey: DEV_KEY })
    .reply(200, loginResponse(sessionId));
}

function withSession(sessionId = SESSION) {
  return nock(BASE, { reqheaders: { sessionId, devKey: DEV_KEY } });
}

beforeEach(() => {
  harnesses = [];
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  for (const created of harnesses) await created.cleanup();
});

describe('BILL collect', () => {
  it('signs in, pages vendors and bills to the end, and yields today’s figures exactly', async () => {
    const login = mockLogin();
    const api = withSession()
      .get(`${ROOT}/vendors`)
      .query(ACTIVE)
      .reply(200, listPage(vendorsPage1, 'dmVuZG9ycy0y'))
      .get(`${ROOT}/vendors`)
      .query({ ...ACTIVE, page: 'dmVuZG9ycy0y' })
      .reply(200, listPage(vendorsPage2, null, 'dmVuZG9ycy0x'))
      .get(`${ROOT}/bills`)
      .query(ACTIVE)
      .reply(200, listPage(billsPage1, 'YmlsbHMtMg'))
      .get(`${ROOT}/bills`)
      .query({ ...ACTIVE, page: 'YmlsbHMtMg' })
      .reply(200, listPage(billsPage2, '', 'YmlsbHMtMQ'));

    const h = await harness();
    const values = await collectAll(source(), h, '2026-10-29', '2026-11-04');
    login.done();
    api.done();

    const unrecognised = ['approvalStatus "ESCALATED" on 1 open bill is not recognised; not counted as pending'];
    expect(values).toEqual([
      { metricId: 'bills_pending_approval', day: '2026-11-01', value: 3, warnings: unrecognised },
      { metricId: 'bills_pending_amount', day: '2026-11-01', value: 1729.19, warnings: unrecognised },
      { metricId: 'vendors_not_onboarded', day: '2026-11-01', value: 1 },
      { metricId: 'bills_missing_w9', day: '2026-11-01', value: 4, warnings: [MISSING_W9_WARNING] },
    ]);
    expect(h.ctx.stats.calls).toBe(5);
  });

  it('applies a stricter onboarding definition and reads only what the asked metrics need', async () => {
    mockLogin();
    const api = withSession()
      .get(`${ROOT}/vendors`)
      .query(ACTIVE)
      .reply(200, listPage([...vendorsPage1, ...vendorsPage2]));
    const h = await harness({
      sources: { bill: { vendor_onboarded_requires: ['bank_account', 'tax_id'] } },
      metrics: { vendors_not_onboarded: { kind: 'vendors_not_onboarded', aggregate: 'last' } },
    });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    api.done();
    expect(values).toEqual([{ metricId: 'vendors_not_onboarded', day: '2026-11-01', value: 3 }]);
  });

  it('yields nothing (and calls nothing) when today is outside the range: stocks have no history', async () => {
    const h = await harness();
    await expect(collectAll(source(), h, '2026-10-01', '2026-10-07')).resolves.toEqual([]);
    expect(h.ctx.stats.calls).toBe(0);
  });

  it('reuses the session across collects of the same source', async () => {
    const login = mockLogin();
    withSession().get(`${ROOT}/vendors`).query(ACTIVE).times(2).reply(200, listPage(vendorsPage2));
    const only = { metrics: { vendors_not_onboarded: { kind: 'vendors_not_onboarded' as const, aggregate: 'last' as const } } };
    const shared = source();
    await collectAll(shared, await harness(only), '2026-11-01', '2026-11-01');
    await collectAll(shared, await harness(only), '2026-11-01', '2026-11-01');
    login.done();
  });

  it('checks by signing in', async () => {
    mockLogin();
    const h = await harness();
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'signed in; session established' });
  });

  it('is not configured without all four credentials', () => {
    expect(source().configured(env)).toBe(true);
    expect(source().configured({ ...env, BILL_DEV_KEY: '' })).toBe(false);
    expect(source().configured({ ...env, BILL_PASSWORD: undefined })).toBe(false);
  });
});

describe('BILL schemas', () => {
  it('validate settings strictly with the research-notes default', () => {
    expect(billSettingsSchema.parse({})).toEqual({ vendor_onboarded_requires: ['bank_account'] });
    expect(billSettingsSchema.safeParse({ vendor_onboarded_requires: ['w9'] }).success).toBe(false);
    expect(billSettingsSchema.safeParse({ vendor_onboarded_requires: [] }).success).toBe(false);
    expect(billSettingsSchema.safeParse({ vendors: [] }).success).toBe(false);
  });

  it('validate queries strictly, discriminated on kind', () => {
    expect(billQuerySchema.parse({ kind: 'bills_missing_w9' })).toEqual({ kind: 'bills_missing_w9' });
    expect(billQuerySchema.safeParse({ kind: 'bills_missing_w9', vendor: 'x' }).success).toBe(false);
    expect(billQuerySchema.safeParse({ kind: 'bills_overdue' }).success).toBe(false);
  });
});
