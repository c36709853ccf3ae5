import { addDays, daysInRange, isValidDay, localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue } from '../source.js';
import type { ChangeHistory, JiraIssue, JiraMeasure } from './schemas.js';

/**
 * Pure pieces of the Jira source: the JQL sent for each measure and the bucketing of issues into org-local days.
 *
 * JQL reads date literals in the *API user's* profile timezone, which need not be the org's. So the search window is
 * widened by a day on each side, and every issue is placed on its org-local day from the instant Jira returns (an
 * ISO datetime with offset), keeping only days in `[from, to]`. A 25-hour day in a DST week is then simply the
 * instants whose local day it is.
 */

export const SOURCE_ID = 'jira';
const DAY_MS = 86_400_000;

/** Which search a measure needs, and the fields it reads. */
export interface SearchPlan {
  jql: string;
  fields: string[];
  expandChangelog: boolean;
}

/** `"2026-10-29"`: our own, validated days only, so nothing outside the catalog's JQL reaches the query text. */
function dateLiteral(day: LocalDay): string {
  if (!isValidDay(day)) throw new SourceError('config', SOURCE_ID, `not a day: ${JSON.stringify(day)}`);
  return `"${day}"`;
}

/** The search for a flow measure over `[from, to]`, widened by a day on each side (see above). */
export function searchPlan(filter: string, measure: Exclude<JiraMeasure, 'count_now'>, from: LocalDay, to: LocalDay): SearchPlan {
  dateLiteral(from);
  dateLiteral(to);
  const since = dateLiteral(addDays(from, -1));
  const until = dateLiteral(addDays(to, 2));
  const scoped = `(${filter})`;
  switch (measure) {
    case 'created':
      return { jql: `${scoped} AND created >= ${since} AND created < ${until}`, fields: ['created'], expandChangelog: false };
    case 'resolved':
      return { jql: `${scoped} AND resolved >= ${since} AND resolved < ${until}`, fields: ['resolutiondate'], expandChangelog: false };
    case 'mean_resolution_days':
      return {
        jql: `${scoped} AND resolved >= ${since} AND resolved < ${until}`,
        fields: ['created', 'resolutiondate'],
        expandChangelog: false,
      };
    case 'reopened':
      return { jql: `${scoped} AND status CHANGED DURING (${since}, ${until})`, fields: ['status'], expandChangelog: true };
  }
}

export function parseJiraInstant(text: string): number {
  // `-0500` → `-05:00`: the ISO form every runtime parses.
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new SourceError('bad_response', SOURCE_ID, `not a datetime: ${JSON.stringify(text.slice(0, 40))}`);
  return ms;
}

/** Per local day: how many, and (for mean resolution) Σ days from creation to resolution. */
export interface DayTally {
  count: number;
  days: number;
}

export type Tally = Map<LocalDay, DayTally>;

/** Adds one day's entry of another tally (an issue's own reopenings, counted apart to remember its days). */
export function addTally(tally: Tally, day: LocalDay, entry: DayTally): void {
  add(tally, day, entry.count, entry.days);
}

function add(tally: Tally, day: LocalDay, count: number, days = 0): void {
  const entry = tally.get(day) ?? { count: 0, days: 0 };
  entry.count += count;
  entry.days += days;
  tally.set(day, entry);
}

export interface Window {
  from: LocalDay;
  to: LocalDay;
  timezone: string;
}

function dayIn(ms: number, window: Window): LocalDay | undefined {
  const day = localDayOf(new Date(ms), window.timezone);
  return day >= window.from && day <= window.to ? day : undefined;
}

/** Adds one page of issues to `tally` for a created, resolved or mean-resolution measure. */
export function tallyIssues(
  tally: Tally,
  issues: readonly JiraIssue[],
  measure: 'created' | 'resolved' | 'mean_resolution_days',
  window: Window,
) {
  for (const issue of issues) {
    const stamp = measure === 'created' ? issue.fields.created : issue.fields.resolutiondate;
    if (!stamp) {
      // The JQL asked for exactly these, so a missing field is a changed API, not an unresolved issue.
      throw new SourceError(
        'bad_response',
        SOURCE_ID,
        `issue ${issue.key ?? issue.id} has no ${measure === 'created' ? 'created' : 'resolutiondate'}`,
      );
    }
    const at = parseJiraInstant(stamp);
    const day = dayIn(at, window);
    if (!day) continue;
    if (measure !== 'mean_resolution_days') {
      add(tally, day, 1);
      continue;
    }
    if (!issue.fields.created) throw new SourceError('bad_response', SOURCE_ID, `issue ${issue.key ?? issue.id} has no created`);
    add(tally, day, 1, Math.max(0, at - parseJiraInstant(issue.fields.created)) / DAY_MS);
  }
}

/** The window day an issue is counted on for a created, resolved or mean-resolution measure (none outside it). */
export function countedDays(issue: JiraIssue, measure: 'created' | 'resolved' | 'mean_resolution_days', window: Window): LocalDay[] {
  const stamp = measure === 'created' ? issue.fields.created : issue.fields.resolutiondate;
  const day = stamp ? dayIn(parseJiraInstant(stamp), window) : undefined;
  return day ? [day] : [];
}

/**
 * Adds an issue's reopenings: status changes out of a done status into one that is not done, on the local day of
 * the change. Several in the window count several times (each is a reopening someone had to handle).
 */
export function tallyReopenings(tally: Tally, histories: readonly ChangeHistory[], doneStatuses: readonly string[], window: Window) {
  const done = new Set(doneStatuses.map((status) => status.toLowerCase()));
  for (const history of histories) {
    const reopenings = history.items.filter(
      (item) =>
        (item.fieldId ?? item.field) === 'status' &&
        done.has((item.fromString ?? '').toLowerCase()) &&
        !done.has((item.toString ?? '').toLowerCase()),
    ).length;
    if (reopenings === 0) continue;
    const day = dayIn(parseJiraInstant(history.created), window);
    if (day) add(tally, day, reopenings);
  }
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** One value per day of `[from, to]` (0 where nothing happened); mean resolution carries Σ days ÷ Σ resolved. */
export function flowValues(metricId: string, measure: Exclude<JiraMeasure, 'count_now'>, from: LocalDay, to: LocalDay, tally: Tally) {
  return daysInRange(from, addDays(to, 1)).map((day): CollectedValue => {
    const entry = tally.get(day) ?? { count: 0, days: 0 };
    if (measure !== 'mean_resolution_days') return { metricId, day, value: entry.count };
    const numerator = round(entry.days);
    return { metricId, day, value: entry.count > 0 ? round(entry.days / entry.count) : 0, numerator, denominator: entry.count };
  });
}
