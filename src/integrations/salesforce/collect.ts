import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { SalesforceApi, type SalesforceDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { recordId, rememberRecordDays } from './late.js';
import { addToDay, dayField, dayValues, numberField, scaledSum, type DayTotals } from './map.js';
import type { SalesforceQuery, SalesforceSettings } from './schemas.js';
import { bindSoql, SOURCE_ID } from './soql.js';

export const NOT_CONFIGURED = 'not configured: set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET';

/** Each metric's SOQL bound and run; stocks (count, sum) for today, by-day records over the window. */
export async function* collectSalesforce(
  ctx: SourceRun<SalesforceSettings>,
  { from, to, metrics }: SourceRequest<SalesforceQuery>,
  deps: SalesforceDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const timezone = ctx.config.org.timezone;
  const today = localDayOf(ctx.now, timezone);
  // Stocks are taken now, so they belong to today only.
  const wanted = metrics.filter((metric) => metric.query.measure === 'by_day' || (today >= from && today <= to));
  if (wanted.length === 0 || from > to) return;
  // Bind every query before the first call, so a catalog mistake costs no API request.
  const bound = wanted.map((metric) => ({
    id: metric.id,
    query: metric.query,
    soql: bindSoql(
      metric.query.soql,
      metric.query.measure === 'by_day' ? { from, to, timezone } : undefined,
      `metrics.${metric.id}.query.soql`,
    ),
  }));

  const api = new SalesforceApi(ctx, credentials, ctx.settings, deps);
  await api.authenticate();
  for (const metric of bound) {
    const { query } = metric;
    if (query.measure === 'count') {
      for await (const page of api.query(metric.soql)) {
        yield [{ metricId: metric.id, day: today, value: page.totalSize }];
        break;
      }
    } else if (query.measure === 'sum') {
      const amounts: number[] = [];
      for await (const page of api.query(metric.soql))
        amounts.push(scaledSum(page.records.map((record) => numberField(record, query.field, metric.id))));
      yield [{ metricId: metric.id, day: today, value: scaledSum(amounts) }];
    } else {
      const totals: DayTotals = new Map();
      const seen = new Map<string, LocalDay>();
      for await (const page of api.query(metric.soql)) {
        for (const record of page.records) {
          const day = dayField(record, query.day_field, metric.id, timezone);
          if (!day || day < from || day > to) continue;
          addToDay(totals, day, query.field ? numberField(record, query.field, metric.id) : 1);
          const id = recordId(record);
          if (id) seen.set(id, day);
        }
      }
      await rememberRecordDays(ctx, timezone, metric.id, seen);
      yield dayValues(metric.id, from, to, totals);
    }
  }
}
