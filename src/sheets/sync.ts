import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { EvalContext } from '../metrics/context.js';
import type { LocalDay } from '../metrics/types.js';
import { addDays, isValidDay, localDayOf } from '../metrics/periods.js';
import type { Store } from '../store/db.js';
import { markSourceAlerted, recordSourceFailure, recordSourceSuccess } from '../store/source-health.js';
import { isSourceError } from '../integrations/errors.js';
import type { Cell, SheetProperties, SheetRequest, SheetsApi } from './api.js';
import { blockRange, planUpsert, quoteTab, type UpsertPlan } from './upsert.js';
import {
  DAILY_DAY_COLUMN,
  DAILY_HEADER,
  dailyRows,
  KEY_COLUMNS,
  LOG_HEADER,
  mirroredMetrics,
  WEEKLY_HEADER,
  WEEKLY_START_COLUMN,
  weeklyRows,
} from './rows.js';

/**
 * One mirror run: `Daily` (one row per metric and day over the window, upserted, older rows removed), `Weekly` (one
 * row per metric and week) and one appended `Sync_Log` row, creating missing tabs. Every run costs at most four
 * write requests (addSheet, the deletions, one values:batchUpdate for both tabs, the log row) and two reads per tab.
 * The outcome is recorded in source health as `sheets`, and a third failure in a row alerts the ops channel once.
 */

export const TABS = { daily: 'Daily', weekly: 'Weekly', log: 'Sync_Log' } as const;
export const SHEETS_HEALTH_SOURCE = 'sheets';
const ALERT_AFTER_FAILURES = 3;

export interface SheetsSyncDeps {
  store: Store;
  config: Config;
  api: SheetsApi;
  logger: Logger;
  ctx: EvalContext;
  notify?: (text: string) => Promise<void>;
  /** Elapsed time for the log row (defaults to performance.now). */
  clock?: () => number;
}

export interface SheetsSyncResult {
  ok: boolean;
  from: LocalDay;
  rowsWritten: number;
  rowsDeleted: number;
  durationMs: number;
  errorClass?: string;
  error?: string;
}

interface Tab {
  title: string;
  header: string[];
  sheetId: number;
  fresh: boolean;
}

async function ensureTabs(api: SheetsApi): Promise<Record<keyof typeof TABS, Tab>> {
  const spreadsheet = await api.getSpreadsheet();
  const byTitle = new Map<string, SheetProperties>(spreadsheet.sheets.map((s) => [s.properties.title, s.properties]));
  const headers = { daily: DAILY_HEADER, weekly: WEEKLY_HEADER, log: LOG_HEADER };
  const missing = (Object.keys(TABS) as (keyof typeof TABS)[]).filter((k) => !byTitle.has(TABS[k]));
  if (missing.length > 0) {
    const requests: SheetRequest[] = missing.map((k) => ({
      addSheet: { properties: { title: TABS[k], gridProperties: { rowCount: 1000, columnCount: headers[k].length, frozenRowCount: 1 } } },
    }));
    const reply = await api.batchUpdate(requests);
    for (const added of reply.replies) if (added.addSheet) byTitle.set(added.addSheet.properties.title, added.addSheet.properties);
  }
  const tab = (k: keyof typeof TABS): Tab => {
    const properties = byTitle.get(TABS[k]);
    if (!properties) throw new Error(`the ${TABS[k]} tab is missing after it was created`);
    return { title: TABS[k], header: headers[k], sheetId: properties.sheetId, fresh: missing.includes(k) };
  };
  return { daily: tab('daily'), weekly: tab('weekly'), log: tab('log') };
}

/** The tab's rows below the header; `headerOk` is false when row 1 is not our header (it is then written). */
async function readTab(api: SheetsApi, tab: Tab): Promise<{ rows: Cell[][]; headerOk: boolean }> {
  if (tab.fresh) return { rows: [], headerOk: false };
  const { values } = await api.getValues(`${quoteTab(tab.title)}!A1:${String.fromCharCode(64 + tab.header.length)}`);
  const headerOk = values[0]?.map(String).join() === tab.header.join();
  return { rows: values.slice(1), headerOk };
}

function writesOf(tab: Tab, plan: UpsertPlan, headerOk: boolean): { range: string; values: Cell[][] }[] {
  const data = plan.writes.map((w) => ({ range: blockRange(tab.title, w.startRow, w.rows.length, tab.header.length), values: w.rows }));
  if (!headerOk) data.unshift({ range: blockRange(tab.title, 1, 1, tab.header.length), values: [tab.header] });
  return data;
}

export async function syncSheets(deps: SheetsSyncDeps, opts: { from?: LocalDay } = {}): Promise<SheetsSyncResult> {
  const clock = deps.clock ?? (() => performance.now());
  const started = clock();
  const { config, ctx } = deps;
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const windowStart = addDays(today, -(config.sheets.window_days - 1));
  if (opts.from !== undefined && !isValidDay(opts.from)) throw new Error(`--from must be a date like 2026-11-01 — got "${opts.from}"`);
  const from = opts.from && opts.from > windowStart ? opts.from : windowStart;
  const logger = deps.logger.child({ component: 'sheets' });
  let tabs: Awaited<ReturnType<typeof ensureTabs>> | undefined;
  // The Sync_Log header goes in with the first row appended to an empty tab, whichever outcome that row records.
  let logHeader = false;
  const appendLog = () =>
    deps.api.appendValues(`${quoteTab(TABS.log)}!A1`, logHeader ? [LOG_HEADER, logRow(ctx.now, result)] : [logRow(ctx.now, result)]);
  const result: SheetsSyncResult = { ok: true, from, rowsWritten: 0, rowsDeleted: 0, durationMs: 0 };

  try {
    tabs = await ensureTabs(deps.api);
    const metrics = mirroredMetrics(config);
    const excluded = new Set(Object.keys(config.metrics).filter((id) => !metrics.some((m) => m.id === id)));
    const logTab = tabs.log;
    const [daily, weekly, logEmpty, wantedDaily, wantedWeekly] = await Promise.all([
      readTab(deps.api, tabs.daily),
      readTab(deps.api, tabs.weekly),
      logTab.fresh ? true : deps.api.getValues(`${quoteTab(logTab.title)}!A1:E1`).then((r) => r.values.length === 0),
      dailyRows(deps.store, metrics, from, today),
      weeklyRows(deps.store, metrics, ctx, from),
    ]);
    const dropIf = (column: number) => (row: readonly Cell[]) => String(row[column] ?? '') < windowStart || excluded.has(String(row[0]));
    const dailyPlan = planUpsert({ existing: daily.rows, wanted: wantedDaily, keyColumns: KEY_COLUMNS, drop: dropIf(DAILY_DAY_COLUMN) });
    const weeklyPlan = planUpsert({
      existing: weekly.rows,
      wanted: wantedWeekly,
      keyColumns: KEY_COLUMNS,
      drop: dropIf(WEEKLY_START_COLUMN),
    });

    const deletions: SheetRequest[] = [
      ...dailyPlan.deletes.map((d) => ({ deleteDimension: { range: { sheetId: tabs!.daily.sheetId, dimension: 'ROWS' as const, ...d } } })),
      ...weeklyPlan.deletes.map((d) => ({
        deleteDimension: { range: { sheetId: tabs!.weekly.sheetId, dimension: 'ROWS' as const, ...d } },
      })),
    ];
    if (deletions.length > 0) await deps.api.batchUpdate(deletions);
    const data = [...writesOf(tabs.daily, dailyPlan, daily.headerOk), ...writesOf(tabs.weekly, weeklyPlan, weekly.headerOk)];
    logHeader = logEmpty;
    if (data.length > 0) await deps.api.batchUpdateValues(data);

    result.rowsWritten = dailyPlan.changed + dailyPlan.added + weeklyPlan.changed + weeklyPlan.added;
    result.rowsDeleted = dailyPlan.deleted + weeklyPlan.deleted;
    result.durationMs = Math.round(clock() - started);
    await appendLog();
  } catch (error) {
    result.ok = false;
    result.errorClass = isSourceError(error) ? error.errorClass : 'internal';
    result.error = deps.api.redact(error instanceof Error ? error.message : String(error));
    result.durationMs = Math.round(clock() - started);
    logger.error({ errorClass: result.errorClass, rowsWritten: result.rowsWritten }, `sheets sync failed: ${result.error}`);
    // The log row is best effort: the failure may be the very thing that keeps us from writing it.
    if (tabs) {
      logHeader ||= tabs.log.fresh;
      await appendLog().catch(() => undefined);
    }
  }
  await recordHealth(deps, result);
  if (result.ok)
    logger.info(
      { from, rowsWritten: result.rowsWritten, rowsDeleted: result.rowsDeleted, durationMs: result.durationMs },
      'sheets sync ok',
    );
  return result;
}

function logRow(now: Date, result: SheetsSyncResult): Cell[] {
  return [now.toISOString(), result.rowsWritten, result.durationMs, result.ok ? 'ok' : 'failed', result.errorClass ?? ''];
}

async function recordHealth(deps: SheetsSyncDeps, result: SheetsSyncResult): Promise<void> {
  const now = deps.ctx.now;
  if (result.ok) {
    const { recovered } = await recordSourceSuccess(deps.store, SHEETS_HEALTH_SOURCE, now);
    if (recovered) await notify(deps, ':white_check_mark: The Google Sheets mirror is syncing again.');
    return;
  }
  const health = await recordSourceFailure(deps.store, SHEETS_HEALTH_SOURCE, result.errorClass ?? 'internal', result.error ?? '', now);
  if (
    health.consecutive_failures >= ALERT_AFTER_FAILURES &&
    health.alerted_at === null &&
    (await markSourceAlerted(deps.store, SHEETS_HEALTH_SOURCE, now))
  )
    await notify(
      deps,
      `:rotating_light: The Google Sheets mirror has failed ${health.consecutive_failures} syncs in a row (${result.errorClass}): ${(result.error ?? '').slice(0, 300)}`,
    );
}

async function notify(deps: SheetsSyncDeps, text: string): Promise<void> {
  try {
    await deps.notify?.(text);
  } catch (error) {
    deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not post the sheets alert');
  }
}
