import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import { daysOutside, readCursor, reasonTexts, scanStart, updateRecordDays, writeCursor, loadRecordDays } from '../late-changes.js';
import type { LateChanges, SourceContext, SourceMetric } from '../source.js';
import type { SalesforceApi } from './client.js';
import { dayField } from './map.js';
import type { SalesforceQuery, SalesforceRecord } from './schemas.js';
import { datetimeLiteral, SOURCE_ID } from './soql.js';

/**
 * Salesforce's modification cursor: for each object a by-day metric reads, `queryAll` of the records whose
 * `SystemModstamp` passed the last plain refresh (less the overlap), deleted ones included (`IsDeleted`). Each
 * changed record touches the day the index says a metric counted it on (written by every collect) and the day its
 * day field names now; the refresh re-collects those days whole with the metric's own SOQL, so a won deal reopened,
 * a close date moved, a signal's severity changed or a record deleted moves exactly its days. Stocks (count, sum)
 * are taken now and have no old days. A changed record the metric's filter leaves out re-collects its day too,
 * unchanged: the scan reads the object, not the metric's WHERE, which it cannot evaluate.
 */

const CURSOR_KEY = 'salesforce.cursor.records';
/** `<metric id> <record id>` → the day that metric last counted the record on. */
export const RECORD_DAYS_KEY = 'salesforce.record_days';

type ByDayQuery = Extract<SalesforceQuery, { measure: 'by_day' }>;
type ByDayMetric = { id: string; query: ByDayQuery };

export interface LateScope {
  api: SalesforceApi;
  timezone: string;
  window: { from: LocalDay; to: LocalDay };
  metrics: readonly SourceMetric<SalesforceQuery>[];
}

export const indexKey = (metricId: string, recordId: string): string => `${metricId} ${recordId}`;

/** A record's id: its `Id` when selected, else the last segment of `attributes.url` (always sent). */
export function recordId(record: SalesforceRecord): string | undefined {
  if (typeof record.Id === 'string' && record.Id) return record.Id;
  const url = record.attributes?.url;
  return typeof url === 'string' ? url.split('/').pop() || undefined : undefined;
}

/** The object a SOQL statement reads: the `FROM` outside any parenthesised sub-query. */
export function soqlObject(soql: string, metricId: string): string {
  let flat = soql.replace(/'(?:\\.|[^'\\])*'/g, "''");
  for (let depth = 0; depth < 10 && flat.includes('('); depth++) flat = flat.replace(/\([^()]*\)/g, '');
  const match = /\bfrom\s+([A-Za-z][A-Za-z0-9_]*)/i.exec(flat);
  if (!match) throw new SourceError('config', SOURCE_ID, `metrics.${metricId}.query.soql: no FROM object`);
  return match[1]!;
}

/**
 * The metrics whose records can be tracked: by-day ones reading plain records. An aggregate (`GROUP BY`) answers
 * rows with no record id and its day field is an alias the object does not have: the trailing window covers it.
 */
export function trackedMetrics(metrics: readonly SourceMetric<SalesforceQuery>[]): ByDayMetric[] {
  return metrics.flatMap((metric) =>
    metric.query.measure === 'by_day' && !/\bgroup\s+by\b/i.test(metric.query.soql) ? [{ id: metric.id, query: metric.query }] : [],
  );
}

/** The scan of one object: every day field its metrics read, and whether the record is deleted. */
export function scanSoql(object: string, dayFields: readonly string[], since: Date): string {
  const fields = [...new Set(['Id', 'IsDeleted', ...dayFields])].join(', ');
  return `SELECT ${fields} FROM ${object} WHERE SystemModstamp > ${datetimeLiteral(since)}`;
}

export async function salesforceLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const cursor = await readCursor(ctx.state, CURSOR_KEY);
  const days = new Set<LocalDay>();
  const removed = new Set<string>();
  let changed = 0;
  let deleted = 0;

  const metrics = trackedMetrics(scope.metrics);
  if (cursor && metrics.length > 0) {
    const index = await loadRecordDays(ctx.state, RECORD_DAYS_KEY);
    const byObject = new Map<string, ByDayMetric[]>();
    for (const metric of metrics) {
      const object = soqlObject(metric.query.soql, metric.id);
      byObject.set(object, [...(byObject.get(object) ?? []), metric]);
    }
    for (const [object, objectMetrics] of byObject) {
      const soql = scanSoql(
        object,
        objectMetrics.map((metric) => metric.query.day_field),
        scanStart(cursor),
      );
      for await (const page of scope.api.queryAll(soql)) {
        for (const record of page.records) {
          const id = recordId(record);
          if (!id) continue;
          const gone = record.IsDeleted === true;
          const touched: LocalDay[] = [];
          for (const metric of objectMetrics) {
            const key = indexKey(metric.id, id);
            const now = gone ? undefined : dayField(record, metric.query.day_field, metric.id, scope.timezone);
            touched.push(...(index.get(key) ?? []), ...(now ? [now] : []));
            if (gone) removed.add(key);
          }
          const old = daysOutside(touched, scope.window.from, scope.window.to);
          if (old.length === 0) continue;
          for (const day of old) days.add(day);
          if (gone) deleted += 1;
          else changed += 1;
        }
      }
    }
  }

  return {
    days: [...days].sort(),
    reasons: reasonTexts(
      new Map([
        ['changed after their day', changed],
        ['deleted', deleted],
      ]),
      ['record', 'records'],
    ),
    commit: async () => {
      // The re-collects already wrote the new days of the records still counted; a deleted one is forgotten.
      if (removed.size > 0) {
        await updateRecordDays(ctx.state, RECORD_DAYS_KEY, localDayOf(ctx.now, scope.timezone), (index) => {
          for (const key of removed) index.delete(key);
        });
      }
      await writeCursor(ctx.state, CURSOR_KEY, ctx.now);
    },
  };
}

/** Remembers the day a by-day metric counted each record on, for a later change to name its old day. */
export async function rememberRecordDays(
  ctx: SourceContext,
  timezone: string,
  metricId: string,
  seen: ReadonlyMap<string, LocalDay>,
): Promise<void> {
  if (seen.size === 0) return;
  await updateRecordDays(ctx.state, RECORD_DAYS_KEY, localDayOf(ctx.now, timezone), (index) => {
    for (const [id, day] of seen) index.set(indexKey(metricId, id), [day]);
  });
}
