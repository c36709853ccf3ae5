import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { parse } from 'yaml';
import { createDattoSource, dattoSource } from '../../../src/integrations/datto/index.js';
import { BCDR_LIMITS, RMM_LIMITS } from '../../../src/integrations/datto/client.js';
import { dattoQuerySchema, dattoSettingsSchema } from '../../../src/integrations/datto/schemas.js';
import { collectAll, collectUntilFailure, createHarness, type Harness } from './harness.js';
import { assetsBySerial, BCDR_HOST, BCDR_ROOT, device, devicePage, DEVICES_PATH, NOW, RMM_HOST, SERIALS, token } from './fixtures.js';

const BCDR_ENV = { DATTO_BCDR_PUBLIC_KEY: 'pk_7f3a9c2e51d04b8e', DATTO_BCDR_SECRET_KEY: 'sk_Q9w/E+r7T!y2U$i5O0p3' };
const RMM_ENV = { DATTO_RMM_API_KEY: 'RMMKEY3B7T9Q2W5E8R1Y', DATTO_RMM_API_SECRET: 'RMMSECRET+x7/k2Q9w!m4Z0p' };
const BOTH_METRICS = {
  failed_backups_48h: { kind: 'failed_backups', older_than_hours: 48 },
  devices_missing_patches: { kind: 'devices_missing_patches', more_than: 5 },
};

let harnesses: Harness[];
const source = () => createDattoSource({ sleep: async () => undefined, random: () => 0.5 });

async function harness(env: Record<string, string>, metrics: Record<string, Record<string, unknown>> = BOTH_METRICS) {
  const created = await createHarness({ env, now: NOW, metrics });
  harnesses.push(created);
  return created;
}

function bcdrWithOneDevice() {
  return nock(BCDR_HOST)
    .get(`${BCDR_ROOT}/bcdr/device`)
    .query(true)
    .reply(200, devicePage(1, 1, [device(SERIALS[1], 'siris-branch')]))
    .get(`${BCDR_ROOT}/bcdr/device/${SERIALS[1]}/asset`)
    .reply(200, assetsBySerial[SERIALS[1]]);
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

describe('Datto source contract', () => {
  it('is configured by either credential pair, not by half of one', () => {
    expect(dattoSource.configured(BCDR_ENV)).toBe(true);
    expect(dattoSource.configured(RMM_ENV)).toBe(true);
    expect(dattoSource.configured({ ...BCDR_ENV, ...RMM_ENV })).toBe(true);
    expect(dattoSource.configured({})).toBe(false);
    expect(dattoSource.configured({ DATTO_BCDR_PUBLIC_KEY: 'pk', DATTO_RMM_API_SECRET: 'secret', DATTO_RMM_API_KEY: '  ' })).toBe(false);
    expect(dattoSource.envVars.slice(0, 4)).toEqual([
      'DATTO_BCDR_PUBLIC_KEY',
      'DATTO_BCDR_SECRET_KEY',
      'DATTO_RMM_API_KEY',
      'DATTO_RMM_API_SECRET',
    ]);
  });

  it('accepts the catalog queries as written in scorecard.example.yml', () => {
    const catalog = parse(readFileSync('scorecard.example.yml', 'utf8')) as { metrics: Record<string, { source: string; query: unknown }> };
    const datto = Object.entries(catalog.metrics).filter(([, metric]) => metric.source === 'datto');
    expect(Object.fromEntries(datto.map(([id, metric]) => [id, dattoQuerySchema.parse(metric.query)]))).toEqual({
      failed_backups_48h: { kind: 'failed_backups', older_than_hours: 48 },
      devices_missing_patches: { kind: 'devices_missing_patches', more_than: 5 },
    });
  });

  it('validates queries and settings strictly', () => {
    expect(dattoQuerySchema.parse({ kind: 'devices_missing_patches' })).toEqual({ kind: 'devices_missing_patches', more_than: 0 });
    expect(dattoQuerySchema.safeParse({ kind: 'failed_backups', older_than: 48 }).success).toBe(false);
    expect(dattoQuerySchema.safeParse({ kind: 'devices_missing_patches', more_than: -1 }).success).toBe(false);
    expect(dattoSettingsSchema.parse({})).toEqual({ platform: 'pinotage' });
    expect(dattoSettingsSchema.safeParse({ platform: 'cabernet' }).success).toBe(false);
    expect(dattoSettingsSchema.safeParse({ rate_limit: { default: { max: 5, per_seconds: 1 } } }).success).toBe(false);
    expect(dattoSettingsSchema.parse({ rate_limit: { bcdr: { max: 60, per_seconds: 60 } } })).toEqual({
      platform: 'pinotage',
      rate_limit: { bcdr: { max: 60, per_seconds: 60 } },
    });
    expect(BCDR_LIMITS).toEqual({ default: { max: 100, perMs: 60_000 } });
    expect(RMM_LIMITS).toEqual({ default: { max: 600, perMs: 60_000 } });
  });

  it('gives a metric whose API has no credentials no value and a warning, and still collects the other', async () => {
    const api = bcdrWithOneDevice();
    const h = await harness(BCDR_ENV);
    const values = await collectAll(source(), h, '2026-11-05', '2026-11-05');
    api.done();
    expect(values).toEqual([{ metricId: 'failed_backups_48h', day: '2026-11-05', value: 2 }]);
    const warning = h.logLines.map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 40);
    expect(warning?.msg).toBe(
      'metrics.devices_missing_patches: no value, Datto RMM is not configured (set DATTO_RMM_API_KEY and DATTO_RMM_API_SECRET)',
    );
  });

  it('stores one API’s figure when the other fails, then reports the failure', async () => {
    nock(RMM_HOST).post('/auth/oauth/token').reply(200, token('eyJhbGciOiJSUzI1NiJ9.e30.c2ln'));
    nock(RMM_HOST).get(DEVICES_PATH).query(true).times(5).reply(503, 'Service Unavailable');
    const api = bcdrWithOneDevice();
    const h = await harness({ ...BCDR_ENV, ...RMM_ENV });
    const { values, error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    api.done();
    expect(values).toEqual([{ metricId: 'failed_backups_48h', day: '2026-11-05', value: 2 }]);
    expect(error).toMatchObject({ errorClass: 'unavailable', status: 503 });
  });

  it('fails a run with no credentials at all as config', async () => {
    const h = await harness({});
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'config' });
    expect((error as Error).message).toContain('DATTO_BCDR_PUBLIC_KEY');
  });

  it('rejects a query the schema does not know as config', async () => {
    const h = await harness(BCDR_ENV, { stale: { kind: 'failed_backups', older_than_hours: -3 } });
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(error).toMatchObject({ errorClass: 'config' });
    expect((error as Error).message).toContain('metrics.stale.query.older_than_hours: ');
  });

  it('checks each configured API with one cheap call', async () => {
    const bcdr = nock(BCDR_HOST)
      .get(`${BCDR_ROOT}/bcdr/device`)
      .query({ _page: '1', _perPage: '1' })
      .reply(200, devicePage(1, 14, [device(SERIALS[0], 'siris-hq')], 1));
    const rmm = nock(RMM_HOST)
      .post('/auth/oauth/token')
      .reply(200, token('eyJhbGciOiJSUzI1NiJ9.e30.c2ln'))
      .get('/api/v2/account')
      .reply(200, {
        id: 7,
        name: 'Example MSP',
        descriptor: { bilingEmail: 'billing@example.com', deviceLimit: 500, timeZone: 'America/Chicago' },
        uid: '1a2b3c4d-0000-4e5f-8a9b-0c1d2e3f4a5b',
        currency: 'USD',
        devicesStatus: {
          numberOfDevices: 212,
          numberOfOnlineDevices: 190,
          numberOfOfflineDevices: 22,
          numberOfOnDemandDevices: 0,
          numberOfManagedDevices: 212,
        },
      });
    const both = await harness({ ...BCDR_ENV, ...RMM_ENV });
    await expect(source().check(both.ctx)).resolves.toEqual({
      ok: true,
      detail: 'BCDR: authenticated; 14 device(s); RMM: authenticated as Example MSP; 212 device(s)',
    });
    bcdr.done();
    rmm.done();
  });

  it('reports a half setup and a refused key in check without throwing', async () => {
    nock(BCDR_HOST).get(`${BCDR_ROOT}/bcdr/device`).query(true).reply(401, { message: 'Invalid credentials' });
    const onlyBcdr = await harness(BCDR_ENV);
    const result = await source().check(onlyBcdr.ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^BCDR: credentials rejected: check DATTO_BCDR_PUBLIC_KEY and DATTO_BCDR_SECRET_KEY \(.*401.*\); RMM: not configured/,
    );
    expect(result.detail).not.toContain(BCDR_ENV.DATTO_BCDR_SECRET_KEY);

    nock(RMM_HOST).post('/auth/oauth/token').reply(200, token('eyJhbGciOiJSUzI1NiJ9.e30.c2ln'));
    nock(RMM_HOST).get('/api/v2/account').reply(200, { uid: 'x', name: null });
    const onlyRmm = await harness(RMM_ENV);
    await expect(source().check(onlyRmm.ctx)).resolves.toEqual({
      ok: true,
      detail: 'BCDR: not configured (set DATTO_BCDR_PUBLIC_KEY and DATTO_BCDR_SECRET_KEY); RMM: authenticated',
    });

    const none = await harness({});
    await expect(source().check(none.ctx)).resolves.toMatchObject({ ok: false });
  });
});
