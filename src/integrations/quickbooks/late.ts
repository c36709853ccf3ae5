import { addDays, daysInRange, isValidDay, localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { loadRecordDays, readCursor, reasonTexts, scanStart, updateRecordDays, writeCursor, type RecordDays } from '../late-changes.js';
import type { LateChanges, SourceContext } from '../source.js';
import type { QuickBooksApi } from './client.js';
import type { QuickBooksSettings, Transaction } from './schemas.js';

/**
 * QuickBooks' modification cursor, through change data capture (CDC). Intuit's own sync guidance: CDC returns every
 * transaction changed since a time, deleted ones included (`status: "Deleted"`), which a query on
 * `MetaData.LastUpdatedTime` cannot. Each transaction counts on one day, its `TxnDate`; an index of the day each was
 * last seen on names the old day of one that was re-dated or deleted, so both days are re-collected whole from the
 * profit and loss report.
 *
 * CDC looks back at most 30 days and answers at most 1000 objects per entity. A cursor older than that, or a
 * capped answer, cannot say which days changed: the last `FALLBACK_DAYS` are re-collected instead, and the summary
 * says so. The first scan (no cursor yet) indexes the transactions of the last `INDEX_DAYS` by date, so a later
 * change to any of them names its old day.
 */

const CURSOR_KEY = 'quickbooks.cursor.cdc';
/** `Entity:Id` → [the TxnDate it was last seen with]. */
export const TXN_DAYS_KEY = 'quickbooks.txn_days';

/** Intuit: "Look-back time can be up to 30 days"; an hour's margin keeps clock skew on the safe side. */
export const CDC_LOOKBACK_MS = 30 * 86_400_000 - 3_600_000;
/** Re-collected when CDC cannot answer: a year, twelve report calls. */
export const FALLBACK_DAYS = 365;
/** How far back the first scan indexes transactions; matches the index's own retention. */
const INDEX_DAYS = 400;

/** The transactions the profit and loss report is built from (accrual basis). */
const ACCRUAL_ENTITIES = [
  'Invoice',
  'SalesReceipt',
  'CreditMemo',
  'RefundReceipt',
  'Bill',
  'VendorCredit',
  'Purchase',
  'JournalEntry',
  'Deposit',
] as const;
/** On a cash basis income and expense land when paid, so payments move days too. */
const CASH_ENTITIES = [...ACCRUAL_ENTITIES, 'Payment', 'BillPayment'] as const;

export function entitiesFor(settings: QuickBooksSettings): readonly string[] {
  return settings.accounting_method === 'Cash' ? CASH_ENTITIES : ACCRUAL_ENTITIES;
}

const keyOf = (entity: string, id: string) => `${entity}:${id}`;
const dayOf = (record: Transaction): LocalDay | undefined =>
  record.TxnDate && isValidDay(record.TxnDate.slice(0, 10)) ? record.TxnDate.slice(0, 10) : undefined;

export interface LateScope {
  api: QuickBooksApi;
  settings: QuickBooksSettings;
  timezone: string;
  window: { from: LocalDay; to: LocalDay };
}

type Verdict = 're-dated' | 'changed' | 'entered or changed late' | 'deleted' | 'deleted (day unknown)';

/** Why a transaction's day changed, from the day the index remembers and what CDC says now. */
function verdictOf(deleted: boolean, before: LocalDay | undefined, now: LocalDay | undefined): Verdict {
  if (deleted) return before ? 'deleted' : 'deleted (day unknown)';
  if (!before) return 'entered or changed late';
  return before === now ? 'changed' : 're-dated';
}

export async function quickbooksLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const cursor = await readCursor(ctx.state, CURSOR_KEY);
  const today = localDayOf(ctx.now, scope.timezone);
  const entities = entitiesFor(scope.settings);
  const advance = async (index?: RecordDays) => {
    if (index) await updateRecordDays(ctx.state, TXN_DAYS_KEY, today, (stored) => replaceWith(stored, index));
    await writeCursor(ctx.state, CURSOR_KEY, ctx.now);
  };

  if (!cursor) {
    const index = await indexSince(scope.api, entities, addDays(today, -INDEX_DAYS));
    return { days: [], reasons: [], commit: () => advance(index) };
  }
  const since = scanStart(cursor);
  const fallback = async (why: string): Promise<LateChanges> => {
    const index = await indexSince(scope.api, entities, addDays(today, -INDEX_DAYS));
    return {
      days: daysInRange(addDays(today, -FALLBACK_DAYS), scope.window.from),
      reasons: [`${why}: the last ${FALLBACK_DAYS} days re-collected`],
      commit: () => advance(index),
    };
  };
  if (ctx.now.getTime() - since.getTime() > CDC_LOOKBACK_MS) {
    return fallback(`QuickBooks' last scan ${cursor.toISOString().slice(0, 10)} is past change data capture's 30-day limit`);
  }

  const changed = await scope.api.changedSince(entities, since);
  if (changed.truncated)
    return fallback('QuickBooks has over 1000 changes of one kind since the last scan (change data capture answers at most 1000)');

  const index = await loadRecordDays(ctx.state, TXN_DAYS_KEY);
  const days = new Set<LocalDay>();
  const counts = new Map<Verdict, number>();
  const seen = new Map<string, LocalDay | undefined>();
  const outside = (day: LocalDay | undefined) => day !== undefined && (day < scope.window.from || day > scope.window.to);
  for (const [entity, records] of changed.byEntity) {
    for (const record of records) {
      const key = keyOf(entity, record.Id);
      const deleted = record.status?.toLowerCase() === 'deleted';
      const before = index.get(key)?.[0];
      // A post-dated transaction counts when its day comes into the window; nothing to correct before then.
      const now = deleted ? undefined : dayOf(record);
      seen.set(key, now);
      const touched = [before, now].filter((day): day is LocalDay => day !== undefined && day <= today);
      const verdict = verdictOf(deleted, before, now);
      if (!touched.some(outside) && verdict !== 'deleted (day unknown)') continue;
      for (const day of touched) days.add(day);
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
    }
  }
  return {
    days: [...days].sort(),
    reasons: reasonTexts(counts, ['QuickBooks transaction', 'QuickBooks transactions']),
    commit: async () => {
      if (seen.size > 0) {
        await updateRecordDays(ctx.state, TXN_DAYS_KEY, today, (stored) => {
          for (const [key, day] of seen) {
            if (day) stored.set(key, [day]);
            else stored.delete(key);
          }
        });
      }
      await writeCursor(ctx.state, CURSOR_KEY, ctx.now);
    },
  };
}

/** Every transaction dated on or after `from`, by `Entity:Id`: the index a first scan (or a fallback) starts from. */
async function indexSince(api: QuickBooksApi, entities: readonly string[], from: LocalDay): Promise<RecordDays> {
  const index: RecordDays = new Map();
  for (const entity of entities) {
    for await (const page of api.transactionsSince(entity, from)) {
      for (const record of page) {
        const day = dayOf(record);
        if (day) index.set(keyOf(entity, record.Id), [day]);
      }
    }
  }
  return index;
}

function replaceWith(stored: RecordDays, index: RecordDays): void {
  stored.clear();
  for (const [key, days] of index) stored.set(key, days);
}
