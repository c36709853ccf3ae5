import { localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, Source, SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { credentialsFrom, SalesforceApi, type SalesforceDeps } from './client.js';
import { addToDay, dayField, dayValues, numberField, scaledSum, type DayTotals } from './map.js';
import { salesforceQuerySchema, salesforceSettingsSchema, type SalesforceQuery, type SalesforceSettings } from './schemas.js';
import { bindSoql, SOURCE_ID } from './soql.js';

const NOT_CONFIGURED = 'not configured: set SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, that SALESFORCE_LOGIN_URL is the org's My Domain, and that the connected app allows the client credentials flow with a run-as user (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Salesforce: each metric one SOQL query and a measure — a count or sum taken now (ARR, renewals due), or records
 * bucketed by a date field's local day (closed-won amount, churn signals).
 */
export function createSalesforceSource(deps: SalesforceDeps = {}): Source<SalesforceSettings, SalesforceQuery> {
  const settingsFor = (ctx: SourceContext): SalesforceSettings =>
    parseOrConfigError(SOURCE_ID, salesforceSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.salesforce');

  return {
    id: SOURCE_ID,
    name: 'Salesforce',
    envVars: ['SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_BASE_URL'],
    settingsSchema: salesforceSettingsSchema,
    querySchema: salesforceQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const timezone = ctx.config.org.timezone;
      const today = localDayOf(ctx.now, timezone);
      const wanted = metrics
        .map((metric) => ({
          id: metric.id,
          query: parseOrConfigError(SOURCE_ID, salesforceQuerySchema, metric.query, `metrics.${metric.id}.query`),
        }))
        // Stocks are taken now, so they belong to today only.
        .filter((metric) => metric.query.measure === 'by_day' || (today >= from && today <= to));
      if (wanted.length === 0 || from > to) return;
      // Bind every query before the first call, so a catalog mistake costs no API request.
      const bound = wanted.map((metric) => ({
        ...metric,
        soql: bindSoql(
          metric.query.soql,
          metric.query.measure === 'by_day' ? { from, to, timezone } : undefined,
          `metrics.${metric.id}.query.soql`,
        ),
      }));

      const api = new SalesforceApi(ctx, credentials, settings, deps);
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
          for await (const page of api.query(metric.soql)) {
            for (const record of page.records) {
              const day = dayField(record, query.day_field, metric.id, timezone);
              if (day && day >= from && day <= to) addToDay(totals, day, query.field ? numberField(record, query.field, metric.id) : 1);
            }
          }
          yield dayValues(metric.id, from, to, totals) satisfies CollectedValue[];
        }
      }
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const api = new SalesforceApi(ctx, credentials, settingsFor(ctx), deps);
        const { used, limit } = await api.dailyApiRequests();
        return { ok: true, detail: `authenticated; ${used} of ${limit} daily API requests used` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const salesforceSource = createSalesforceSource();
