import { localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, Source, SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { createJiraApi, credentialsFrom, type JiraDeps } from './client.js';
import { flowValues, searchPlan, SOURCE_ID, tallyIssues, tallyReopenings, type Tally } from './map.js';
import { jiraQuerySchema, jiraSettingsSchema, type JiraQuery, type JiraSettings } from './schemas.js';

const NOT_CONFIGURED = 'not configured: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check JIRA_EMAIL and JIRA_API_TOKEN, and that JIRA_BASE_URL is the site they belong to (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Jira Cloud: bug stocks (open, critical) from the approximate count, and daily flows (created, resolved, reopened,
 * mean resolution days) from the enhanced JQL search, each metric one catalog JQL filter plus a measure.
 */
export function createJiraSource(deps: JiraDeps = {}): Source<JiraSettings, JiraQuery> {
  const settingsFor = (ctx: SourceContext): JiraSettings =>
    parseOrConfigError(SOURCE_ID, jiraSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.jira');

  return {
    id: SOURCE_ID,
    name: 'Jira',
    envVars: ['JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_BASE_URL'],
    settingsSchema: jiraSettingsSchema,
    querySchema: jiraQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        query: parseOrConfigError(SOURCE_ID, jiraQuerySchema, metric.query, `metrics.${metric.id}.query`),
      }));
      if (wanted.length === 0 || from > to) return;
      const api = createJiraApi(ctx, credentials, settings, deps);
      const window = { from, to, timezone: ctx.config.org.timezone };

      // Stocks are counted now, so they belong to today only (and only when the window reaches it).
      const today = localDayOf(ctx.now, window.timezone);
      const stocks = today >= from && today <= to ? wanted.filter((metric) => metric.query.measure === 'count_now') : [];
      if (stocks.length > 0) {
        const values: CollectedValue[] = [];
        for (const metric of stocks) values.push({ metricId: metric.id, day: today, value: await api.approximateCount(metric.query.jql) });
        yield values;
      }

      for (const metric of wanted) {
        const { measure, jql } = metric.query;
        if (measure === 'count_now') continue;
        const tally: Tally = new Map();
        for await (const issues of api.search(searchPlan(jql, measure, from, to))) {
          if (measure !== 'reopened') tallyIssues(tally, issues, measure, window);
          else for (const issue of issues) tallyReopenings(tally, await api.histories(issue), settings.done_statuses, window);
        }
        yield flowValues(metric.id, measure, from, to, tally);
      }
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const me = await createJiraApi(ctx, credentials, settingsFor(ctx), deps).myself();
        return { ok: true, detail: `authenticated as ${me.displayName ?? me.accountId}` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const jiraSource = createJiraSource();
