import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getSourceHealth } from '../../src/store/source-health.js';
import { sheetsSyncJob } from '../../src/jobs/sheets-sync.js';
import { sheetsSyncCommand } from '../../src/cli/sheets.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { sheetsSettings } from '../../src/sheets/settings.js';
import { expectNoSecrets } from '../helpers/source-harness.js';
import { bed, dataRows, io, runtime, sync, useSheetsTestbed } from './testbed.js';

/** The mirror when the Sheets API or the token endpoint misbehaves, and its CLI and scheduler entry points. */

useSheetsTestbed();

describe('Sheets API trouble', () => {
  it('backs off on a 429 (Retry-After) and then succeeds', async () => {
    bed.fake.failNext(1, 429, { 'retry-after': '2' }, 'values.batchUpdate');
    const result = await sync();
    expect(result.ok).toBe(true);
    expect(bed.sleeps).toEqual([2000]);
    expect(dataRows('Daily')).toHaveLength(366);
  });

  it('gets a new token on a 401 and retries once', async () => {
    await sync();
    bed.fake.revokeTokens();
    const api = new (await import('../../src/sheets/api.js')).SheetsApi(sheetsSettings(runtime().rawEnv)!, io());
    await sheetsSyncJob(runtime(), {}, { ...io(), api });
    const tokensBefore = bed.fake.tokens.length;
    bed.fake.revokeTokens();
    const result = await sheetsSyncJob(runtime(), {}, { ...io(), api });
    expect(result?.ok).toBe(true);
    expect(bed.fake.tokens.length).toBe(tokensBefore + 1);
    expect(dataRows('Sync_Log')).toHaveLength(3);
  });

  it('records a failure in Sync_Log and source health, bed.alerts once after three, and says when it recovers', async () => {
    for (let i = 0; i < 4; i++) {
      bed.fake.failNext(1, 403, {}, 'values.batchUpdate');
      const result = await sync();
      expect(result).toMatchObject({ ok: false, errorClass: 'auth' });
    }
    expect(dataRows('Sync_Log').map((r) => r.slice(3))).toEqual(Array.from({ length: 4 }, () => ['failed', 'auth']));
    expect((await getSourceHealth(bed.store)).find((h) => h.source === 'sheets')).toMatchObject({
      consecutive_failures: 4,
      last_error_class: 'auth',
    });
    expect(bed.alerts).toHaveLength(1);
    expect(bed.alerts[0]).toContain('failed 3 syncs in a row (auth)');
    expect((await sync()).ok).toBe(true);
    expect(bed.alerts).toHaveLength(2);
    expect(bed.alerts[1]).toContain('syncing again');
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
    expect(bed.fake.tokens).toHaveLength(0);
    expectNoSecrets([...bed.logLines, result.error!], [other.privateKey.split('\n')[5]!]);
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
    expect(bed.fake.calls['values.append'] ?? 0).toBe(0);
    ok = true;
    await scheduler.runNow('refresh');
    expect(bed.fake.calls['values.append']).toBe(1);
    await scheduler.stop();
  });
});
