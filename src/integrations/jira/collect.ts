import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createJiraApi, type JiraDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { rememberIssueDays } from './late.js';
import { addTally, countedDays, flowValues, searchPlan, SOURCE_ID, tallyIssues, tallyReopenings, type Tally } from './map.js';
import type { JiraQuery, JiraSettings } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN';

/** Stocks (approximate counts, today only) first, then one paged search per flow metric. */
export async function* collectJira(
  ctx: SourceRun<JiraSettings>,
  { from, to, metrics }: SourceRequest<JiraQuery>,
  deps: JiraDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  if (metrics.length === 0 || from > to) return;
  const { settings } = ctx;
  const api = createJiraApi(ctx, credentials, settings, deps);
  const window = { from, to, timezone: ctx.config.org.timezone };

  // Stocks are counted now, so they belong to today only (and only when the window reaches it).
  const today = localDayOf(ctx.now, window.timezone);
  const stocks = today >= from && today <= to ? metrics.filter((metric) => metric.query.measure === 'count_now') : [];
  if (stocks.length > 0) {
    const values: CollectedValue[] = [];
    for (const metric of stocks) values.push({ metricId: metric.id, day: today, value: await api.approximateCount(metric.query.jql) });
    yield values;
  }

  for (const metric of metrics) {
    const { measure, jql } = metric.query;
    if (measure === 'count_now') continue;
    const tally: Tally = new Map();
    // Issue id → the days it was counted on here, for the change scan to name a later change's old days.
    const issueDays = new Map<string, LocalDay[]>();
    for await (const issues of api.search(searchPlan(jql, measure, from, to))) {
      if (measure !== 'reopened') {
        tallyIssues(tally, issues, measure, window);
        for (const issue of issues) issueDays.set(issue.id, countedDays(issue, measure, window));
      } else {
        for (const issue of issues) {
          const reopenings: Tally = new Map();
          tallyReopenings(reopenings, await api.histories(issue), settings.done_statuses, window);
          for (const [day, entry] of reopenings) addTally(tally, day, entry);
          issueDays.set(issue.id, [...reopenings.keys()]);
        }
      }
    }
    await rememberIssueDays(ctx, window.timezone, issueDays);
    yield flowValues(metric.id, measure, from, to, tally);
  }
}
