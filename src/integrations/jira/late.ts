import { localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import {
  addRecordDays,
  daysOutside,
  loadRecordDays,
  readCursor,
  reasonTexts,
  scanStart,
  updateRecordDays,
  writeCursor,
} from '../late-changes.js';
import type { LateChanges, SourceContext } from '../source.js';
import type { JiraApi } from './client.js';
import { parseJiraInstant, SOURCE_ID, type SearchPlan } from './map.js';
import type { JiraIssue } from './schemas.js';

/**
 * Jira's modification cursor: the enhanced JQL search on `updated` (the last plain refresh less the overlap). Each
 * changed issue touches the days the index says it was counted on (creation, resolution and reopening days, written
 * by every collect) and, while it still matches a flow metric's filter, the days it counts on now (creation,
 * resolution, and its last status-category change, which is the day of a reopening). The refresh re-collects those
 * days whole from Jira: counts and resolution times are recomputed, never patched.
 *
 * Two searches: every issue changed since the cursor (an issue moved out of the filters still un-counts its old
 * days), and the same bound inside the flow filters (which issues count now). Jira reads a JQL date in the API
 * user's profile timezone, which we do not know, so the bound is written a day early in UTC and the issues are
 * kept by their own `updated` instant.
 */

const CURSOR_KEY = 'jira.cursor.issues';
/** Issue id → the local days it was counted on (created, resolved, reopened). */
export const ISSUE_DAYS_KEY = 'jira.issue_days';
const DAY_MS = 86_400_000;
const SCAN_FIELDS = ['created', 'resolutiondate', 'statuscategorychangedate', 'updated'];

export interface LateScope {
  api: JiraApi;
  timezone: string;
  window: { from: LocalDay; to: LocalDay };
  /** The JQL filters of the flow metrics (created, resolved, reopened, mean resolution). */
  filters: readonly string[];
}

/** `"2026/11/24 18:50"`: a JQL datetime literal for the instant's UTC wall clock. */
export function jqlDateTime(at: Date): string {
  const iso = at.toISOString();
  return `"${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 16)}"`;
}

/** The two searches of a scan: every change since `since`, and those inside the flow filters. */
export function changeScanPlans(filters: readonly string[], since: Date): { all: SearchPlan; matching: SearchPlan } {
  // Any profile timezone is within a day of UTC: a day early never misses a change (re-seen ones are dropped below).
  const bound = `updated >= ${jqlDateTime(new Date(since.getTime() - DAY_MS))}`;
  const union = filters.map((filter) => `(${filter})`).join(' OR ');
  return {
    all: { jql: bound, fields: SCAN_FIELDS, expandChangelog: false },
    matching: { jql: `(${union}) AND ${bound}`, fields: SCAN_FIELDS, expandChangelog: false },
  };
}

/** The days an issue counts on now: creation, resolution while resolved, and its last status-category change. */
export function issueDaysNow(issue: JiraIssue, timezone: string): LocalDay[] {
  const { created, resolutiondate, statuscategorychangedate } = issue.fields;
  if (!created) throw new SourceError('bad_response', SOURCE_ID, `issue ${issue.key ?? issue.id} has no created`);
  return [created, resolutiondate, statuscategorychangedate]
    .filter((stamp): stamp is string => typeof stamp === 'string')
    .map((stamp) => localDayOf(new Date(parseJiraInstant(stamp)), timezone));
}

function changedSince(issue: JiraIssue, since: Date): boolean {
  const { updated } = issue.fields;
  return updated === undefined || parseJiraInstant(updated) >= since.getTime();
}

async function collectIssues(api: JiraApi, plan: SearchPlan, since: Date): Promise<Map<string, JiraIssue>> {
  const found = new Map<string, JiraIssue>();
  for await (const page of api.search(plan)) for (const issue of page) if (changedSince(issue, since)) found.set(issue.id, issue);
  return found;
}

export async function jiraLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const cursor = await readCursor(ctx.state, CURSOR_KEY);
  const days = new Set<LocalDay>();
  let changed = 0;
  let leftFilters = 0;
  const counted = new Map<string, LocalDay[]>();
  const uncounted = new Set<string>();

  if (cursor && scope.filters.length > 0) {
    const since = scanStart(cursor);
    const plans = changeScanPlans(scope.filters, since);
    const all = await collectIssues(scope.api, plans.all, since);
    const matching = await collectIssues(scope.api, plans.matching, since);
    const index = await loadRecordDays(ctx.state, ISSUE_DAYS_KEY);
    for (const [id, issue] of new Map([...all, ...matching])) {
      const before = index.get(id);
      const now = matching.has(id) ? issueDaysNow(issue, scope.timezone) : undefined;
      if (now) counted.set(id, now);
      else if (before) uncounted.add(id);
      const old = daysOutside([...(before ?? []), ...(now ?? [])], scope.window.from, scope.window.to);
      if (old.length === 0) continue;
      for (const day of old) days.add(day);
      if (now) changed += 1;
      else leftFilters += 1;
    }
  }

  return {
    days: [...days].sort(),
    reasons: reasonTexts(
      new Map([
        ['changed after their day', changed],
        ['moved out of the filters', leftFilters],
      ]),
      ['issue', 'issues'],
    ),
    commit: async () => {
      if (counted.size > 0 || uncounted.size > 0) {
        await updateRecordDays(ctx.state, ISSUE_DAYS_KEY, localDayOf(ctx.now, scope.timezone), (index) => {
          for (const [id, now] of counted) index.set(id, now);
          for (const id of uncounted) index.delete(id);
        });
      }
      await writeCursor(ctx.state, CURSOR_KEY, ctx.now);
    },
  };
}

/** Remembers the days the issues a collect read were counted on, for a later change to name its old days. */
export async function rememberIssueDays(
  ctx: SourceContext,
  timezone: string,
  issueDays: ReadonlyMap<string, readonly LocalDay[]>,
): Promise<void> {
  if (issueDays.size === 0) return;
  await updateRecordDays(ctx.state, ISSUE_DAYS_KEY, localDayOf(ctx.now, timezone), (index) => {
    for (const [id, counted] of issueDays) addRecordDays(index, id, counted);
  });
}
