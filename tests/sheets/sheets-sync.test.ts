import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import { periodSettings } from '../../src/metrics/context.js';
import { addDays } from '../../src/metrics/periods.js';
import type { Runtime } from '../../src/runtime.js';
import type { Store } from '../../src/store/db.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { getSourceHealth } from '../../src/store/source-health.js';
import { sheetsSyncJob, type SheetsSyncIo } from '../../src/jobs/sheets-sync.js';
import { sheetsSyncCommand } from '../../src/cli/sheets.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { DAILY_HEADER, LOG_HEADER, WEEKLY_HEADER } from '../../src/sheets/rows.js';
import { sheetsSettings } from '../../src/sheets/settings.js';
import { openTempStore } from '../helpers/tmp-store.js';
import { expectNoSecrets } from '../helpers/source-harness.js';
import { startFakeSheets, type FakeSheets } from '../helpers/fake-sheets.js';

/** The Google Sheets mirror against a stateful loopback fake of Sheets v4 and of Google's JWT-grant token endpoint. */

const TZ = 'America/Chicago';
const NOW = new Date('2026-11-16T14:00:00Z'); // Monday 08:00 in Chicago
const TODAY = '2026-11-16';
const WINDOW_START = addDays(TODAY, -364);
const EMAIL = 'scorecard-mirror@example-project.iam.gserviceaccount.com';
const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const keyBody = keys.privateKey.split('\n')[5]!;

function makeConfig(includeSensitive = false): Config {
  return configSchema.parse({
    org: { name: 'Test Co', timezone: TZ },
    groups: [{ id: 'sales', name: 'Sales', metrics: ['dials', 'cash', 'events'] }],
    metrics: {
      dials: { name: 'Dials', unit: 'count', aggregate: 'sum', goal: { op: '>=', value: 125 }, source: 'hubspot', ...explain },
      cash: {
        name: 'Cash position',
        unit: 'currency',
        aggregate: 'last',
        cadence: ['daily', 'weekly'],
        source: 'simplefin',
        sensitive: true,
        ...explain,
      },
      events: { name: 'Networking events', unit: 'count', aggregate: 'sum', source: 'manual', ...explain },
    },
    sheets: { include_sensitive: includeSensitive },
  });
}

let fake: FakeSheets;
let store: Store;
let cleanup: () => Promise<void>;
let logLines: string[];
let alerts: string[];
let sleeps: number[];

function runtime(opts: { now?: Date; config?: Config; privateKey?: string } = {}): Runtime {
  const config = opts.config ?? makeConfig();
  const now = opts.now ?? NOW;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    config,
    configPath: 'scorecard.yml',
    env: loadEnv({}),
    rawEnv: {
      GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
        type: 'service_account',
        client_email: EMAIL,
        private_key: opts.privateKey ?? keys.privateKey,
        private_key_id: 'k1',
      }),
      SHEETS_SPREADSHEET_ID: fake.spreadsheetId,
      SHEETS_BASE_URL: fake.url,
      GOOGLE_TOKEN_URL: fake.tokenUrl,
    },
    store,
    logger: pino({ level: 'debug' }, sink),
    now: () => now,
    evalContext: (at) => ({ config, now: at ?? now, periods: periodSettings(config), isConnected: () => true }),
    close: async () => undefined,
  };
}

const io = (): SheetsSyncIo => ({
  notify: async (text) => void alerts.push(text),
  sleep: async (ms) => void sleeps.push(ms),
  random: () => 0.5,
});
const sync = async (rt = runtime(), opts: { from?: string } = {}) => (await sheetsSyncJob(rt, opts, io()))!;
const dataRows = (title: string) => fake.tab(title)!.slice(1);
const keysOf = (rows: (string | number | boolean)[][]) => rows.map((r) => `${r[0]}|${r[2]}`);

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  fake = await startFakeSheets({ publicKeyPem: keys.publicKey, clientEmail: EMAIL });
  logLines = [];
  alerts = [];
  sleeps = [];
  const fetchedAt = '2026-11-16T12:00:00.000Z';
  const rows = [];
  for (let i = 0; i < 400; i++) {
    const day = addDays(TODAY, -i);
    rows.push({
      metric_id: 'dials',
      day,
      value: 20 + (i % 7),
      numerator: null,
      denominator: null,
      source: 'hubspot',
      fetched_at: fetchedAt,
      warnings: null,
    });
    rows.push({
      metric_id: 'cash',
      day,
      value: 500_000 + i,
      numerator: null,
      denominator: null,
      source: 'simplefin',
      fetched_at: fetchedAt,
      warnings: null,
    });
  }
  await upsertDailyValues(store, rows);
  await addManualEntry(store, { metricId: 'events', day: '2026-11-12', value: 2, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, NOW);
});
afterEach(async () => {
  const secrets = [keyBody, ...fake.tokens, ...fake.tokens.map((t) => t.slice(10))];
  expectNoSecrets([...logLines, ...alerts], secrets);
  await fake.close();
  await cleanup();
});

describe('the Sheets mirror', () => {
  it('first sync creates the tabs and writes one Daily row per metric and day in the window', async () => {
    const result = await sync();
    expect(result).toMatchObject({ ok: true, from: WINDOW_START });
    expect(fake.titles()).toEqual(['Sheet1', 'Daily', 'Weekly', 'Sync_Log']);
    expect(fake.tab('Daily')![0]).toEqual(DAILY_HEADER);
    expect(fake.tab('Weekly')![0]).toEqual(WEEKLY_HEADER);
    expect(fake.tab('Sync_Log')![0]).toEqual(LOG_HEADER);

    const daily = dataRows('Daily');
    expect(daily).toHaveLength(365 + 1);
    expect(new Set(keysOf(daily)).size).toBe(daily.length);
    expect(daily.filter((r) => r[0] === 'dials').map((r) => r[2])).toEqual(Array.from({ length: 365 }, (_, i) => addDays(WINDOW_START, i)));
    expect(daily.find((r) => r[0] === 'dials' && r[2] === TODAY)).toEqual([
      'dials',
      'Dials',
      TODAY,
      20,
      '',
      '',
      'hubspot',
      '2026-11-16T12:00:00.000Z',
    ]);
    expect(daily.find((r) => r[0] === 'events')).toEqual(['events', 'Networking events', '2026-11-12', 2, '', '', 'manual']);
    expect(daily.some((r) => r[0] === 'cash')).toBe(false);

    const weekly = dataRows('Weekly');
    const dialsWeek = weekly.find((r) => r[0] === 'dials' && r[2] === '2026-W46')!;
    expect(dialsWeek).toEqual(['dials', 'Dials', '2026-W46', '2026-11-09', '≥ 125', expect.any(Number), 'green', expect.any(Number)]);
    expect(weekly.every((r) => String(r[3]) >= WINDOW_START)).toBe(true);
    expect(result.rowsWritten).toBe(daily.length + weekly.length);

    const log = dataRows('Sync_Log');
    expect(log).toEqual([[NOW.toISOString(), result.rowsWritten, expect.any(Number), 'ok']]);
    // One addSheet batch, one values:batchUpdate, one append: within Sheets' per-minute write quota by far.
    expect(fake.calls).toMatchObject({ batchUpdate: 1, 'values.batchUpdate': 1, 'values.append': 1, token: 1 });
    expect((await getSourceHealth(store)).find((h) => h.source === 'sheets')).toMatchObject({ consecutive_failures: 0 });
  });

  it('two syncs leave one Daily row per metric and day and two Sync_Log rows; a changed value is rewritten in place', async () => {
    await sync();
    const before = dataRows('Daily');
    const second = await sync();
    expect(second.rowsWritten).toBe(0);
    expect(dataRows('Daily')).toEqual(before);
    expect(dataRows('Sync_Log')).toHaveLength(2);
    expect(fake.calls['values.batchUpdate']).toBe(1);

    const row = before.findIndex((r) => r[0] === 'dials' && r[2] === '2026-11-10');
    await upsertDailyValues(store, [
      {
        metric_id: 'dials',
        day: '2026-11-10',
        value: 99,
        numerator: null,
        denominator: null,
        source: 'hubspot',
        fetched_at: '2026-11-16T13:00:00.000Z',
        warnings: null,
      },
    ]);
    const third = await sync();
    const after = dataRows('Daily');
    expect(after).toHaveLength(before.length);
    expect(after[row]).toEqual(['dials', 'Dials', '2026-11-10', 99, '', '', 'hubspot', '2026-11-16T13:00:00.000Z']);
    expect(new Set(keysOf(after)).size).toBe(after.length);
    expect(third.rowsWritten).toBeGreaterThanOrEqual(1);
    expect(dataRows('Sync_Log')).toHaveLength(3);
  });

  it('removes rows older than the window, and heals a duplicated row', async () => {
    await sync();
    const start = addDays(TODAY, 10 - 364);
    const oldWeeks = dataRows('Weekly').filter((r) => String(r[3]) < start).length;
    fake.setTab('Daily', [...fake.tab('Daily')!, ['dials', 'Dials', TODAY, 20, '', '', 'hubspot', 'x']]);
    const later = new Date(NOW.getTime() + 10 * 86_400_000);
    const result = await sync(runtime({ now: later }));
    const daily = dataRows('Daily');
    expect(daily.every((r) => String(r[2]) >= start)).toBe(true);
    expect(daily.filter((r) => r[0] === 'dials')).toHaveLength(355);
    expect(new Set(keysOf(daily)).size).toBe(daily.length);
    expect(oldWeeks).toBeGreaterThan(0);
    expect(dataRows('Weekly').every((r) => String(r[3]) >= start)).toBe(true);
    // Ten days rolled off, one duplicate healed, and the weeks that started before the window.
    expect(result.rowsDeleted).toBe(10 + 1 + oldWeeks);
  });

  it('mirrors sensitive metrics only with include_sensitive, and removes them again without it', async () => {
    await sync(runtime({ config: makeConfig(true) }));
    expect(dataRows('Daily').filter((r) => r[0] === 'cash')).toHaveLength(365);
    await sync(runtime({ config: makeConfig(false) }));
    expect(dataRows('Daily').some((r) => r[0] === 'cash')).toBe(false);
    expect(dataRows('Weekly').some((r) => r[0] === 'cash')).toBe(false);
  });

  it('--from writes only from that day on', async () => {
    const result = await sync(runtime(), { from: '2026-11-01' });
    expect(result.from).toBe('2026-11-01');
    expect(
      dataRows('Daily')
        .map((r) => String(r[2]))
        .sort()[0],
    ).toBe('2026-11-01');
  });
});

describe('Sheets API trouble', () => {
  it('backs off on a 429 (Retry-After) and then succeeds', async () => {
    fake.failNext(1, 429, { 'retry-after': '2' }, 'values.batchUpdate');
    const result = await sync();
    expect(result.ok).toBe(true);
    expect(sleeps).toEqual([2000]);
    expect(dataRows('Daily')).toHaveLength(366);
  });

  it('gets a new token on a 401 and retries once', async () => {
    await sync();
    fake.revokeTokens();
    const api = new (await import('../../src/sheets/api.js')).SheetsApi(sheetsSettings(runtime().rawEnv)!, io());
    await sheetsSyncJob(runtime(), {}, { ...io(), api });
    const tokensBefore = fake.tokens.length;
    fake.revokeTokens();
    const result = await sheetsSyncJob(runtime(), {}, { ...io(), api });
    expect(result?.ok).toBe(true);
    expect(fake.tokens.length).toBe(tokensBefore + 1);
    expect(dataRows('Sync_Log')).toHaveLength(3);
  });

  it('records a failure in Sync_Log and source health, alerts once after three, and says when it recovers', async () => {
    for (let i = 0; i < 4; i++) {
      fake.failNext(1, 403, {}, 'values.batchUpdate');
      const result = await sync();
      expect(result).toMatchObject({ ok: false, errorClass: 'auth' });
    }
    expect(dataRows('Sync_Log').map((r) => r.slice(3))).toEqual(Array.from({ length: 4 }, () => ['failed', 'auth']));
    expect((await getSourceHealth(store)).find((h) => h.source === 'sheets')).toMatchObject({
      consecutive_failures: 4,
      last_error_class: 'auth',
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('failed 3 syncs in a row (auth)');
    expect((await sync()).ok).toBe(true);
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toContain('syncing again');
  });

  it('fails as auth when the token endpoint rejects the JWT signature (a key that is not the account’s)', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const result = await sync(runtime({ privateKey: other.privateKey }));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth' });
    expect(result.error).toContain('400 invalid_grant');
    expect(fake.tokens).toHaveLength(0);
    expectNoSecrets([...logLines, result.error!], [other.privateKey.split('\n')[5]!]);
  });
});

describe('CLI and scheduler', () => {
  it('scorecard sheets sync prints a summary; a bad --from is a usage error', async () => {
    const out: string[] = [];
    const result = await sheetsSyncCommand(runtime(), {}, { ...io(), out: (line) => void out.push(line) });
    expect(result.ok).toBe(true);
    expect(out[0]).toMatch(/^sheets sync from 2025-11-17: \d+ rows written, 0 removed, /);
    await expect(sheetsSyncCommand(runtime(), { from: 'yesterday' })).rejects.toThrow(/--from must be a date/);
    await expect(sheetsSyncCommand({ ...runtime(), rawEnv: { SHEETS_SPREADSHEET_ID: 'x' } }, {})).rejects.toThrow(
      /GOOGLE_SERVICE_ACCOUNT_JSON is not/,
    );
  });

  it('the scheduler mirrors after a successful refresh, not after a failed one', async () => {
    let ok = false;
    const scheduler = startScheduler({
      runtime: { ...runtime(), now: () => new Date('2026-11-15T18:00:00Z') },
      client: null,
      refresh: async () => ({ ok }),
      schedule: () => ({ stop: () => undefined }),
      out: () => undefined,
    });
    await scheduler.caughtUp;
    await scheduler.runNow('refresh');
    expect(fake.calls['values.append'] ?? 0).toBe(0);
    ok = true;
    await scheduler.runNow('refresh');
    expect(fake.calls['values.append']).toBe(1);
    await scheduler.stop();
  });
});
