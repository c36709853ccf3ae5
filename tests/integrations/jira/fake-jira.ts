import nock from 'nock';
import { errorBody, issue, SITE } from './fixtures.js';

/**
 * A stateful loopback Jira site for the change scan: issues held in memory, answered through the enhanced search
 * `POST /rest/api/3/search/jql` by evaluating the few clauses the scorecard sends (the catalog filter
 * `project = X`, `created`/`resolved` day bounds and the `updated >= "yyyy/MM/dd HH:mm"` bound), `maxResults` to a
 * page and opaque `nextPageToken`s until the last page, which carries none (as live sites answer). Bodies are
 * shaped like the fixtures' IssueBean (fixtures/_sources.json). JQL dates are read in UTC, standing for the API
 * user's profile timezone. Tests edit issues between refreshes, as a developer would.
 */

export interface FakeIssue {
  id: string;
  project: string;
  created: string;
  resolutiondate: string | null;
  statuscategorychangedate: string | null;
  updated: string;
}

interface SearchBody {
  jql: string;
  fields: string[];
  maxResults: number;
  nextPageToken?: string;
}

/** `"2026-10-05"` or `"2026/11/24 18:50"` as an instant, read in UTC. */
function literal(text: string): number {
  const [date, time] = text.split(' ');
  return Date.parse(`${date!.replaceAll('/', '-')}T${time ?? '00:00'}:00Z`);
}

const instant = (stamp: string) => Date.parse(stamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

function bound(jql: string, field: string, op: '>=' | '<'): number | undefined {
  const match = new RegExp(`\\b${field} ${op} "([^"]+)"`).exec(jql);
  return match ? literal(match[1]!) : undefined;
}

export class FakeJira {
  readonly issues = new Map<string, FakeIssue>();
  readonly searches: SearchBody[] = [];
  /** Answer every search on `updated` with 429 (the site's budget spent during the change scan). */
  changeScansLimited = false;
  private readonly tokens = new Map<string, { jql: string; offset: number }>();

  start(): void {
    nock(SITE)
      .persist()
      .post('/rest/api/3/search/jql')
      .reply((_uri, body) => {
        const search = body as SearchBody;
        this.searches.push(search);
        if (this.changeScansLimited && search.jql.includes('updated >=')) {
          return [429, errorBody('Rate limit exceeded.'), { 'Retry-After': '1' }];
        }
        const state = search.nextPageToken ? this.tokens.get(search.nextPageToken) : { jql: search.jql, offset: 0 };
        if (!state || state.jql !== search.jql) return [400, errorBody('The provided next page token is invalid or expired.')];
        const all = this.matching(search.jql).map((row) => issue(row.id, this.fields(row, search.fields)));
        const page = all.slice(state.offset, state.offset + search.maxResults);
        const next = state.offset + page.length;
        if (next >= all.length) return [200, { issues: page, isLast: true }];
        const token = Buffer.from(`${this.tokens.size}:${next}`).toString('base64url');
        this.tokens.set(token, { jql: search.jql, offset: next });
        return [200, { issues: page, nextPageToken: token, isLast: false }];
      });
  }

  add(row: FakeIssue): void {
    this.issues.set(row.id, row);
  }

  edit(id: string, updated: string, fields: Partial<FakeIssue>): void {
    const row = this.issues.get(id);
    if (!row) throw new Error(`no issue ${id}`);
    this.issues.set(id, { ...row, ...fields, updated });
  }

  changeScans(): SearchBody[] {
    return this.searches.filter((search) => search.jql.includes('updated >='));
  }

  private fields(row: FakeIssue, wanted: readonly string[]): Record<string, unknown> {
    const all: Record<string, unknown> = { ...row, project: { key: row.project } };
    return Object.fromEntries(wanted.map((field) => [field, all[field] ?? null]));
  }

  private matching(jql: string): FakeIssue[] {
    const project = /project = (\w+)/.exec(jql)?.[1];
    const checks: [string, keyof FakeIssue][] = [
      ['created', 'created'],
      ['resolved', 'resolutiondate'],
      ['updated', 'updated'],
    ];
    return [...this.issues.values()]
      .filter((row) => !project || row.project === project)
      .filter((row) =>
        checks.every(([clause, field]) => {
          const since = bound(jql, clause, '>=');
          const until = bound(jql, clause, '<');
          if (since === undefined && until === undefined) return true;
          const value = row[field];
          if (!value) return false;
          const at = instant(value);
          return (since === undefined || at >= since) && (until === undefined || at < until);
        }),
      );
  }
}
