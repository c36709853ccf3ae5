import type { Runtime } from '../runtime.js';
import type { LocalDay } from '../metrics/types.js';
import { SheetsApi, type SheetsApiOptions } from '../sheets/api.js';
import { sheetsSettings } from '../sheets/settings.js';
import { syncSheets, type SheetsSyncResult } from '../sheets/sync.js';

/** The Sheets mirror as a job: after each successful refresh and on `scorecard sheets sync`. Null when not set up. */

export interface SheetsSyncIo extends SheetsApiOptions {
  notify?: (text: string) => Promise<void>;
  api?: SheetsApi;
}

export async function sheetsSyncJob(rt: Runtime, opts: { from?: LocalDay } = {}, io: SheetsSyncIo = {}): Promise<SheetsSyncResult | null> {
  const settings = sheetsSettings(rt.rawEnv);
  if (!settings) return null;
  const api = io.api ?? new SheetsApi(settings, { ...io, logger: io.logger ?? rt.logger });
  return syncSheets(
    { store: rt.store, config: rt.config, api, logger: rt.logger, ctx: rt.evalContext(), ...(io.notify ? { notify: io.notify } : {}) },
    opts,
  );
}
