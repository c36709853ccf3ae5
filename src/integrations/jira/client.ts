import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import { SourceError } from '../errors.js';
import { SOURCE_ID, type SearchPlan } from './map.js';
import {
  approximateCountSchema,
  changelogPageSchema,
  jiraErrorSchema,
  myselfSchema,
  searchPageSchema,
  type ChangeHistory,
  type JiraIssue,
  type JiraSettings,
} from './schemas.js';
import type { JiraCredentials } from './credentials.js';

/** Jira Cloud's points-based limits are per site and not published as a rate; ten a second, two at a time, stays polite. */
export const JIRA_LIMITS = { default: { max: 10, perMs: 1000 } };
const MAX_CONCURRENCY = 2;
/** A runaway cursor (the same token over and over) must not loop forever: 10 000 pages is far beyond any bounded JQL. */
const MAX_PAGES = 10_000;
const CHANGELOG_PAGE = 100;

export interface JiraDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/**
 * `X-RateLimit-Reset` is an ISO 8601 instant when the budget refills (Jira sends it with a 429, beside `Retry-After`,
 * which the shared client reads first).
 */
export function jiraResetDelayMs(headers: Record<string, string>, now: number): number | undefined {
  const reset = headers['x-ratelimit-reset'];
  if (!reset) return undefined;
  const at = Date.parse(reset);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Jira's `{ errorMessages, errors }` envelope gives the message (a JQL error names the bad clause). */
const classify: NonNullable<HttpClientOptions['classify']> = ({ status, data }) => {
  const parsed = jiraErrorSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const message = [...(parsed.data.errorMessages ?? []), ...Object.values(parsed.data.errors ?? {})].join('; ').slice(0, 300);
  if (!message) return undefined;
  if (status === 401 || status === 403) return { errorClass: 'auth', retryable: false, message };
  if (status === 429) return { errorClass: 'rate_limited', retryable: true, message };
  if (status >= 500) return { errorClass: 'unavailable', retryable: true, message };
  return { errorClass: 'config', retryable: false, message };
};

/** The enhanced JQL search only: the `startAt` search was shut down in 2025. */
export class JiraApi {
  constructor(
    private readonly http: HttpClient,
    private readonly settings: JiraSettings,
  ) {}

  /** `POST /rest/api/3/search/jql`, one page at a time, following `nextPageToken` until it is gone or `isLast`. */
  async *search(plan: SearchPlan): AsyncGenerator<JiraIssue[]> {
    let nextPageToken: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.http.request(
        {
          method: 'POST',
          url: 'rest/api/3/search/jql',
          data: {
            jql: plan.jql,
            fields: plan.fields,
            maxResults: this.settings.page_size,
            ...(plan.expandChangelog ? { expand: 'changelog' } : {}),
            ...(nextPageToken ? { nextPageToken } : {}),
          },
        },
        searchPageSchema,
      );
      yield body.issues;
      if (body.isLast === true || !body.nextPageToken) return;
      if (seen.has(body.nextPageToken)) throw new SourceError('bad_response', SOURCE_ID, 'search/jql repeated a nextPageToken');
      seen.add(body.nextPageToken);
      nextPageToken = body.nextPageToken;
    }
    throw new SourceError('bad_response', SOURCE_ID, `search/jql did not end after ${MAX_PAGES} pages`);
  }

  /** `POST /rest/api/3/search/approximate-count`: a count that may lag recent changes by a few seconds. */
  async approximateCount(jql: string): Promise<number> {
    const body = await this.http.request(
      { method: 'POST', url: 'rest/api/3/search/approximate-count', data: { jql } },
      approximateCountSchema,
    );
    return body.count;
  }

  /**
   * An issue's whole changelog. A search embeds only the newest histories of each issue; when it says there are
   * more (`total` above what it sent), they are read from the issue's own changelog, page by page.
   */
  async histories(issue: JiraIssue): Promise<ChangeHistory[]> {
    const embedded = issue.changelog;
    if (!embedded || embedded.total === undefined || embedded.total <= embedded.histories.length) return embedded?.histories ?? [];
    const all: ChangeHistory[] = [];
    for (let startAt = 0; startAt < MAX_PAGES * CHANGELOG_PAGE; ) {
      const page = await this.http.request(
        { url: `rest/api/3/issue/${encodeURIComponent(issue.id)}/changelog`, params: { startAt, maxResults: CHANGELOG_PAGE } },
        changelogPageSchema,
      );
      all.push(...page.values);
      startAt = page.startAt + page.values.length;
      if (page.isLast === true || page.values.length === 0 || (page.total !== undefined && startAt >= page.total)) return all;
    }
    return all;
  }

  async myself(): Promise<{ accountId: string; displayName?: string }> {
    return this.http.request({ url: 'rest/api/3/myself' }, myselfSchema);
  }
}

export function createJiraApi(ctx: SourceContext, credentials: JiraCredentials, settings: JiraSettings, deps: JiraDeps = {}): JiraApi {
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: `${credentials.baseUrl.replace(/\/+$/, '')}/`,
    auth: { username: credentials.email, password: credentials.apiToken },
    headers: { Accept: 'application/json' },
    secrets: [credentials.apiToken],
    limits: limitsFromSettings(JIRA_LIMITS, settings.rate_limit),
    maxConcurrency: MAX_CONCURRENCY,
    classify,
    retryDelayFromHeaders: jiraResetDelayMs,
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  });
  return new JiraApi(http, settings);
}
