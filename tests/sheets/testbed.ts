import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { loadEnv } from '../../src/config/env.js';
import { periodSettings } from '../../src/metrics/context.js';
import { addDays } from '../../src/metrics/periods.js';
import type { Runtime } from '../../src/runtime.js';
import type { Store } from '../../src/store/db.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { sheetsSyncJob, type SheetsSyncIo } from '../../src/jobs/sheets-sync.js';
import { openTempStore } from '../helpers/tmp-store.js';
import { expectNoSecrets } from '../helpers/source-harness.js';
import { startFakeSheets, type FakeSheets } from '../helpers/fake-sheets.js';

/** Shared set-up of the Sheets mirror tests: a seeded bed.store, the loopback Sheets and token fakes, captured logs and bed.alerts; no secret may reach a log line. */

export const TZ = 'America/Chicago';
export const NOW = new Date('2026-11-16T14:00:00Z'); // Monday 08:00 in Chicago
export const TODAY = '2026-11-16';
export const WINDOW_START = addDays(TODAY, -364);
export const EMAIL = 'scorecard-mirror@example-project.iam.gserviceaccount.com';
export const explain = { definition: 'What it counts.', why: 'Why it matters.', calculation: 'How it is computed.' };

export const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
export const keyBody = keys.privateKey.split('\n')[5]!;

export function makeConfig(includeSensitive = false): Config {
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

/** The current test's fakes and captures, replaced before each test. */
export const bed = {} as { fake: FakeSheets; store: Store; logLines: string[]; alerts: string[]; sleeps: number[] };
let cleanup: () => Promise<void>;

export function runtime(opts: { now?: Date; config?: Config; privateKey?: string } = {}): Runtime {
  const config = opts.config ?? makeConfig();
  const now = opts.now ?? NOW;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bed.logLines.push(chunk.toString('utf8'));
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
      SHEETS_SPREADSHEET_ID: bed.fake.spreadsheetId,
      SHEETS_BASE_URL: bed.fake.url,
      GOOGLE_TOKEN_URL: bed.fake.tokenUrl,
    },
    store: bed.store,
    logger: pino({ level: 'debug' }, sink),
    now: () => now,
    evalContext: (at) => ({ config, now: at ?? now, periods: periodSettings(config), isConnected: () => true }),
    close: async () => undefined,
  };
}

export const io = (): SheetsSyncIo => ({
  notify: async (text) => void bed.alerts.push(text),
  sleep: async (ms) => void bed.sleeps.push(ms),
  random: () => 0.5,
});
export const sync = async (rt = runtime(), opts: { from?: string } = {}) => (await sheetsSyncJob(rt, opts, io()))!;
export const dataRows = (title: string) => bed.fake.tab(title)!.slice(1);
export const keysOf = (rows: (string | number | boolean)[][]) => rows.map((r) => `${r[0]}|${r[2]}`);

/** Registers the set-up and the no-secrets check around every test of the calling file. */
export function useSheetsTestbed(): void {
  beforeEach(async () => {
    const temp = await openTempStore();
    bed.store = temp.store;
    cleanup = temp.cleanup;
    bed.fake = await startFakeSheets({ publicKeyPem: keys.publicKey, clientEmail: EMAIL });
    bed.logLines = [];
    bed.alerts = [];
    bed.sleeps = [];
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
    await upsertDailyValues(bed.store, rows);
    await addManualEntry(bed.store, { metricId: 'events', day: '2026-11-12', value: 2, userId: 'U0DANA001', enteredBy: 'U0DANA001' }, NOW);
  });
  afterEach(async () => {
    const secrets = [keyBody, ...bed.fake.tokens, ...bed.fake.tokens.map((t) => t.slice(10))];
    expectNoSecrets([...bed.logLines, ...bed.alerts], secrets);
    await bed.fake.close();
    await cleanup();
  });
}
