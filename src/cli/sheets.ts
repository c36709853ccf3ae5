import type { Runtime } from '../runtime.js';
import { sheetsSyncJob, type SheetsSyncIo } from '../jobs/sheets-sync.js';
import { SheetsSetupError } from '../sheets/settings.js';
import type { SheetsSyncResult } from '../sheets/sync.js';
import { UsageError } from './common.js';

/** `scorecard sheets sync [--from D]`: one mirror run, its summary printed; exit code 1 when it failed. */
export async function sheetsSyncCommand(
  rt: Runtime,
  opts: { from?: string },
  io: SheetsSyncIo & { out?: (line: string) => void } = {},
): Promise<SheetsSyncResult> {
  if (opts.from !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.from))
    throw new UsageError(`--from must be a date like 2026-11-01 — got "${opts.from}"`);
  let result: SheetsSyncResult | null;
  try {
    result = await sheetsSyncJob(rt, opts.from ? { from: opts.from } : {}, io);
  } catch (error) {
    if (error instanceof SheetsSetupError) throw new UsageError(error.message, 2);
    throw error;
  }
  if (!result) throw new UsageError('sheets sync needs GOOGLE_SERVICE_ACCOUNT_JSON and SHEETS_SPREADSHEET_ID', 2);
  const out = io.out ?? ((line: string) => void process.stdout.write(`${line}\n`));
  out(
    result.ok
      ? `sheets sync from ${result.from}: ${result.rowsWritten} rows written, ${result.rowsDeleted} removed, ${(result.durationMs / 1000).toFixed(1)}s`
      : `sheets sync failed (${result.errorClass}): ${result.error}`,
  );
  return result;
}
