import type { ApiCall, ApiReply } from '../../helpers/source-fixtures.js';

/**
 * Jira Cloud bodies for the tests (provenance in fixtures/_sources.json) and a stateful fake site.
 *
 * The fixture fortnight is Mon 2026-10-26 … Sun 2026-11-08 in America/Chicago; DST ends on Sun 2026-11-01, a 25-hour
 * day (01:00–02:00 happens twice: -0500, then -0600).
 *
 *   issue   created (local day)               resolved (local day)                        elapsed
 *   BUG-1   10-26 14:00 -0500 (10-26)           10-28 14:00 -0500 (10-28)                   2 d
 *   BUG-2   10-31 23:30 -0500 (10-31)           11-01 23:30 -0600 (11-01, the 25-hour day)   25 h
 *   BUG-3   11-01 05:30Z = 00:30 CDT (11-01)    11-02 05:30Z = 11-01 23:30 CST (11-01)       24 h
 *   BUG-4   11-02 06:15Z = 00:15 CST (11-02)    —
 *   BUG-5   10-25 20:00 -0500 (before window)   11-05 09:00 -0600 (11-05)                   10 d 14 h
 *   BUG-6   11-09 05:59Z = 11-08 23:59 CST      —
 *   BUG-7   11-09 06:00Z = 11-09 (after window) —
 *
 * Reopenings (status leaves Done/Closed/Resolved for a status that is not done):
 *   BUG-1  10-30 10:00 -0500 Done → In Progress; 11-01 01:30 -0500 Closed → Reopened; 11-01 01:30 -0600 Resolved → Open
 *   BUG-8  (changelog truncated in the search: 1 of 3 embedded) 11-07 12:00 -0600 Done → To Do; 10-20 outside; a close
 */

export const SITE = 'https://acme-example.atlassian.net';
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
/** 10:00 CST on Sun 2026-11-08. */
export const NOW = new Date('2026-11-08T16:00:00Z');

const self = (id: string) => `${SITE}/rest/api/3/issue/${id}`;
const author = { accountId: '5b10a2844c20165700ede21g', displayName: 'Mia Krystof', active: true };

export function history(id: string, created: string, from: string, to: string) {
  return {
    id,
    author,
    created,
    items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10001', fromString: from, to: '3', toString: to }],
  };
}

export function issue(id: string, fields: Record<string, unknown>, histories?: ReturnType<typeof history>[], total?: number) {
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id,
    key: `BUG-${id.slice(-1)}`,
    self: self(id),
    fields,
    ...(histories ? { changelog: { startAt: 0, maxResults: histories.length, total: total ?? histories.length, histories } } : {}),
  };
}

export const ISSUES = [
  { id: '10001', created: '2026-10-26T14:00:00.000-0500', resolutiondate: '2026-10-28T14:00:00.000-0500' },
  { id: '10002', created: '2026-10-31T23:30:00.000-0500', resolutiondate: '2026-11-01T23:30:00.000-0600' },
  { id: '10003', created: '2026-11-01T05:30:00.000+0000', resolutiondate: '2026-11-02T05:30:00.000+0000' },
  { id: '10004', created: '2026-11-02T06:15:00.000+0000', resolutiondate: null },
  { id: '10005', created: '2026-10-25T20:00:00.000-0500', resolutiondate: '2026-11-05T09:00:00.000-0600' },
  { id: '10006', created: '2026-11-09T05:59:00.000+0000', resolutiondate: null },
  { id: '10007', created: '2026-11-09T06:00:00.000+0000', resolutiondate: null },
];

export const REOPENED_ISSUES = [
  issue('10001', { status: { name: 'Open' } }, [
    history('200', '2026-10-30T10:00:00.000-0500', 'Done', 'In Progress'),
    history('201', '2026-11-01T01:30:00.000-0500', 'Closed', 'Reopened'),
    history('202', '2026-11-01T01:30:00.000-0600', 'Resolved', 'Open'),
  ]),
  issue('10008', { status: { name: 'To Do' } }, [history('302', '2026-11-07T12:00:00.000-0600', 'Done', 'To Do')], 3),
];

/** BUG-8's whole changelog, oldest first, as its own endpoint pages it. */
export const BUG8_HISTORIES = [
  history('300', '2026-10-20T09:00:00.000-0500', 'Done', 'In Progress'),
  history('301', '2026-10-22T09:00:00.000-0500', 'In Progress', 'Done'),
  history('302', '2026-11-07T12:00:00.000-0600', 'Done', 'To Do'),
];

export function changelogPage(values: unknown[], startAt: number, total: number) {
  return {
    self: `${SITE}/rest/api/3/issue/10008/changelog?startAt=${startAt}&maxResults=2`,
    maxResults: 2,
    startAt,
    total,
    isLast: startAt + values.length >= total,
    values,
  };
}

export const approximateCount = (count: number) => ({ count });
export const errorBody = (...errorMessages: string[]) => ({ errorMessages, errors: {} });
export const myself = {
  self: `${SITE}/rest/api/3/user?accountId=5b10a2844c20165700ede21g`,
  accountId: '5b10a2844c20165700ede21g',
  accountType: 'atlassian',
  emailAddress: 'scorecard@acme.example',
  displayName: 'Scorecard Bot',
  active: true,
  timeZone: 'Australia/Sydney',
};

/** Metric queries of the example catalog (see scorecard.example.yml). */
export const FILTER = 'project = WEB AND issuetype = Bug';
export const QUERIES = {
  open_bugs: { jql: `${FILTER} AND statusCategory != Done`, measure: 'count_now' },
  critical_bugs: { jql: `${FILTER} AND statusCategory != Done AND priority in (Highest, Critical)`, measure: 'count_now' },
  bugs_created: { jql: FILTER, measure: 'created' },
  bugs_resolved: { jql: FILTER, measure: 'resolved' },
  bugs_reopened: { jql: FILTER, measure: 'reopened' },
  bug_resolution_days: { jql: FILTER, measure: 'mean_resolution_days' },
} as const;

/** Which fixture issues a search's JQL selects (the fake reads only the bound it was sent). */
function issuesFor(jql: string) {
  if (jql.includes('status CHANGED DURING')) return REOPENED_ISSUES;
  const resolved = jql.includes('resolved >=');
  return ISSUES.filter((row) => (resolved ? row.resolutiondate : true)).map((row) =>
    issue(row.id, resolved ? { created: row.created, resolutiondate: row.resolutiondate } : { created: row.created }),
  );
}

/**
 * A stateful fake Jira site: search pages of `maxResults` issues chained by opaque tokens (the last page has none),
 * approximate counts by JQL, BUG-8's changelog two at a time, and `/myself`.
 */
export function fakeJira(counts: Record<string, number> = {}): (call: ApiCall) => ApiReply {
  const tokens = new Map<string, { jql: string; offset: number }>();
  return (call) => {
    const body = typeof call.body === 'string' ? (call.body ? JSON.parse(call.body) : {}) : call.body;
    if (call.method === 'POST' && call.path === '/rest/api/3/search/jql') {
      const state = body.nextPageToken ? tokens.get(body.nextPageToken) : { jql: body.jql, offset: 0 };
      if (!state || state.jql !== body.jql) return [400, errorBody('The provided next page token is invalid or expired.')];
      const all = issuesFor(body.jql);
      const page = all.slice(state.offset, state.offset + body.maxResults);
      const next = state.offset + page.length;
      if (next >= all.length) return [200, { issues: page, isLast: true }];
      const token = Buffer.from(`${body.jql.length}:${next}`).toString('base64url');
      tokens.set(token, { jql: body.jql, offset: next });
      return [200, { issues: page, nextPageToken: token, isLast: false }];
    }
    if (call.method === 'POST' && call.path === '/rest/api/3/search/approximate-count') {
      const count = counts[body.jql];
      return count === undefined ? [400, errorBody(`unexpected JQL ${body.jql}`)] : [200, approximateCount(count)];
    }
    if (call.method === 'GET' && call.path === '/rest/api/3/issue/10008/changelog') {
      const startAt = Number(call.query.get('startAt') ?? 0);
      return [200, changelogPage(BUG8_HISTORIES.slice(startAt, startAt + 2), startAt, BUG8_HISTORIES.length)];
    }
    if (call.method === 'GET' && call.path === '/rest/api/3/myself') return [200, myself];
    return [404, errorBody(`no route ${call.method} ${call.path}`)];
  };
}
