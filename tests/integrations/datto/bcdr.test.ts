import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createDattoSource } from '../../../src/integrations/datto/index.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { collectAll, collectUntilFailure, createHarness, type Harness, sourceTestLifecycle, expectNoSecrets } from './harness.js';
import { asset, assetsBySerial, BCDR_HOST, BCDR_ROOT, device, devicePage, HOUR_S, NOW, NOW_S, SERIALS } from './fixtures.js';

const PUBLIC_KEY = 'pk_7f3a9c2e51d04b8e';
const SECRET_KEY = 'sk_Q9w/E+r7T!y2U$i5O0p3';
const BASIC = `Basic ${Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64')}`;
const SECRETS = [PUBLIC_KEY, SECRET_KEY, BASIC, Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64')];
const DEVICES = `${BCDR_ROOT}/bcdr/device`;
const assetsOf = (serial: string) => `${BCDR_ROOT}/bcdr/device/${serial}/asset`;
const FAILED_48 = { failed_backups_48h: { kind: 'failed_backups', older_than_hours: 48 } };

const { sleeps, track } = sourceTestLifecycle();
const source = () => createDattoSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(options: { now?: Date; metrics?: Record<string, Record<string, unknown>>; from?: Harness } = {}) {
  const created = await createHarness({
    env: { DATTO_BCDR_PUBLIC_KEY: PUBLIC_KEY, DATTO_BCDR_SECRET_KEY: SECRET_KEY },
    now: options.now ?? NOW,
    metrics: options.metrics ?? FAILED_48,
    store: options.from?.store,
  });
  track(created);
  return created;
}

/** The BCDR API with Basic auth required on every call. */
const bcdr = () => nock(BCDR_HOST, { reqheaders: { authorization: BASIC } });

function listDevices(scope: nock.Scope) {
  return scope
    .get(DEVICES)
    .query({ _page: '1', _perPage: '100' })
    .reply(200, devicePage(1, 2, [device(SERIALS[0], 'siris-hq'), device(SERIALS[1], 'siris-branch')], 3))
    .get(DEVICES)
    .query({ _page: '2', _perPage: '100' })
    .reply(200, devicePage(2, 2, [device(SERIALS[2], 'alto-clinic')], 3));
}

function listAssets(scope: nock.Scope) {
  for (const serial of SERIALS) scope.get(assetsOf(serial)).reply(200, assetsBySerial[serial]);
  return scope;
}

describe('Datto BCDR failed backups', () => {
  it('pages the device list to the end, reads every device’s assets and counts exactly', async () => {
    const api = listAssets(listDevices(bcdr()));
    const h = await harness({
      metrics: { ...FAILED_48, failed_backups_72h: { kind: 'failed_backups', older_than_hours: 72 } },
    });
    const values = await collectAll(source(), h, '2026-10-30', '2026-11-05');
    api.done();
    // Paused and archived are out; 48 h exactly is not overdue, 48 h + 1 s is.
    expect(values).toEqual([
      { metricId: 'failed_backups_48h', day: '2026-11-05', value: 4 },
      { metricId: 'failed_backups_72h', day: '2026-11-05', value: 2 },
    ]);
    expect(h.ctx.stats).toEqual({ calls: 5, rateLimited: 0 });
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('defaults the threshold to 48 hours', async () => {
    const api = listAssets(listDevices(bcdr()));
    const h = await harness({ metrics: { failed_backups: { kind: 'failed_backups' } } });
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'failed_backups', day: '2026-11-05', value: 4 },
    ]);
    api.done();
  });

  it('makes no call when today is outside the window', async () => {
    const h = await harness();
    await expect(collectAll(source(), h, '2026-10-01', '2026-11-04')).resolves.toEqual([]);
    expect(h.ctx.stats.calls).toBe(0);
  });

  it('keeps the device list for a day in sync state and lists again after', async () => {
    listAssets(listDevices(bcdr()));
    const first = await harness();
    await expect(collectAll(source(), first, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'failed_backups_48h', day: '2026-11-05', value: 4 },
    ]);
    expect(JSON.parse((await first.ctx.state.get('datto.bcdr.devices'))!)).toMatchObject({ serials: [...SERIALS] });

    // Same state, two hours later: only the assets are read again (the fresh one is now over 2 h older, still fine).
    const assetsOnly = listAssets(bcdr());
    const second = await harness({ from: first, now: new Date(NOW.getTime() + 2 * 3_600_000) });
    const values = await collectAll(source(), second, '2026-11-05', '2026-11-05');
    assetsOnly.done();
    expect(second.ctx.stats.calls).toBe(3);
    // at-boundary is now 50 h old; three-days is 74 h old but was already counted.
    expect(values).toEqual([{ metricId: 'failed_backups_48h', day: '2026-11-05', value: 5 }]);

    const relisted = listAssets(listDevices(bcdr()));
    const nextDay = await harness({ from: first, now: new Date(NOW.getTime() + 25 * 3_600_000) });
    await collectAll(source(), nextDay, '2026-11-06', '2026-11-06');
    relisted.done();
    expect(nextDay.ctx.stats.calls).toBe(5);
  });

  it('skips a device that disappeared since the list was cached, says so, and lists again next time', async () => {
    listAssets(listDevices(bcdr()));
    const first = await harness();
    await collectAll(source(), first, '2026-11-05', '2026-11-05');

    const api = bcdr()
      .get(assetsOf(SERIALS[0]))
      .reply(200, assetsBySerial[SERIALS[0]])
      .get(assetsOf(SERIALS[1]))
      .reply(404, { message: 'Device not found' })
      .get(assetsOf(SERIALS[2]))
      .reply(200, assetsBySerial[SERIALS[2]]);
    const second = await harness({ from: first });
    const values = await collectAll(source(), second, '2026-11-05', '2026-11-05');
    api.done();
    expect(values).toEqual([
      {
        metricId: 'failed_backups_48h',
        day: '2026-11-05',
        value: 2,
        warnings: [`1 BCDR device(s) no longer found (${SERIALS[1]}): skipped`],
      },
    ]);
    expect(await second.ctx.state.get('datto.bcdr.devices')).toBe('');
  });

  it('has at most four asset requests in flight', async () => {
    const serials = Array.from({ length: 10 }, (_, i) => `SN${String(i).padStart(10, '0')}`);
    let inFlight = 0;
    let most = 0;
    const scope = bcdr()
      .get(DEVICES)
      .query(true)
      .reply(
        200,
        devicePage(
          1,
          1,
          serials.map((serial, i) => device(serial, `siris-${i}`)),
        ),
      );
    for (const serial of serials) {
      scope.get(assetsOf(serial)).reply((_uri, _body, callback) => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight--;
          callback(null, [200, [asset(`host-${serial}`, NOW_S - 50 * HOUR_S)]]);
        }, 10);
      });
    }
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'failed_backups_48h', day: '2026-11-05', value: 10 },
    ]);
    scope.done();
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('accepts the paged asset envelope and reads its every page', async () => {
    const url = assetsOf(SERIALS[0]);
    const api = bcdr()
      .get(DEVICES)
      .query(true)
      .reply(200, devicePage(1, 1, [device(SERIALS[0], 'siris-hq')]))
      .get(url)
      .reply(200, devicePage(1, 2, [asset('one', NOW_S - 60 * HOUR_S)]))
      .get(url)
      .query({ _page: '2', _perPage: '100' })
      .reply(200, devicePage(2, 2, [asset('two', NOW_S - 60 * HOUR_S)]));
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'failed_backups_48h', day: '2026-11-05', value: 2 },
    ]);
    api.done();
  });

  it('waits out a 429 (Retry-After) and recovers from a 5xx', async () => {
    const api = bcdr()
      .get(DEVICES)
      .query(true)
      .reply(429, { message: 'Too Many Requests' }, { 'Retry-After': '7' })
      .get(DEVICES)
      .query(true)
      .reply(200, devicePage(1, 1, [device(SERIALS[2], 'alto-clinic')]))
      .get(assetsOf(SERIALS[2]))
      .reply(503, 'Service Unavailable')
      .get(assetsOf(SERIALS[2]))
      .reply(200, assetsBySerial[SERIALS[2]]);
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-05', '2026-11-05')).resolves.toEqual([
      { metricId: 'failed_backups_48h', day: '2026-11-05', value: 1 },
    ]);
    api.done();
    expect(sleeps[0]).toBe(7000);
    expect(sleeps).toHaveLength(2);
    expect(h.ctx.stats).toEqual({ calls: 4, rateLimited: 1 });
  });

  it('does not retry rejected keys, and leaks none of them', async () => {
    let hits = 0;
    nock(BCDR_HOST)
      .get(DEVICES)
      .query(true)
      .times(5)
      .reply(() => {
        hits++;
        return [401, { message: 'Invalid credentials' }];
      });
    const h = await harness();
    const { values, error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    expect(values).toEqual([]);
    expect(hits).toBe(1);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ errorClass: 'auth', status: 401 });
    expectNoSecrets([...h.logLines, (error as Error).message, String((error as Error).stack)], SECRETS);
  });

  it('calls a malformed asset body bad_response', async () => {
    const api = bcdr()
      .get(DEVICES)
      .query(true)
      .reply(200, devicePage(1, 1, [device(SERIALS[0], 'siris-hq')]))
      .get(assetsOf(SERIALS[0]))
      .reply(200, [{ ...asset('odd', NOW_S), lastSnapshot: 'yesterday' }]);
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    api.done();
    expect(error).toMatchObject({ errorClass: 'bad_response' });
    expect((error as Error).message).toContain('lastSnapshot');
  });

  it('calls a device list without pagination bad_response', async () => {
    const api = bcdr()
      .get(DEVICES)
      .query(true)
      .reply(200, { items: [device(SERIALS[0], 'siris-hq')] });
    const h = await harness();
    const { error } = await collectUntilFailure(source(), h, '2026-11-05', '2026-11-05');
    api.done();
    expect(error).toMatchObject({ errorClass: 'bad_response' });
  });
});
