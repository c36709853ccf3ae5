import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Jira Cloud bodies, per the platform REST API v3 reference: the enhanced search `POST /rest/api/3/search/jql`
 * (`{ issues, nextPageToken?, isLast? }`; the token is absent, not null, on the last page, JRACLOUD-92184),
 * `POST /rest/api/3/search/approximate-count` (`{ count }`), the changelog page of
 * `GET /rest/api/3/issue/{id}/changelog` and `GET /rest/api/3/myself`.
 */

/** Jira's datetime: `2026-10-29T09:12:33.000-0500` (offset without colon), sometimes with a colon or `Z`. */
export const jiraInstantSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'a Jira datetime');

const statusItemSchema = z.object({
  field: z.string(),
  fieldId: z.string().optional(),
  fromString: z.string().nullable().optional(),
  toString: z.string().nullable().optional(),
});

export const changeHistorySchema = z.object({
  id: z.string().optional(),
  created: jiraInstantSchema,
  items: z.array(statusItemSchema),
});
export type ChangeHistory = z.output<typeof changeHistorySchema>;

export const issueSchema = z.object({
  id: z.string(),
  key: z.string().optional(),
  fields: z
    .object({
      created: jiraInstantSchema.optional(),
      resolutiondate: jiraInstantSchema.nullable().optional(),
      /** Read by the change scan only: when the issue last changed, and last changed status category (a reopening). */
      updated: jiraInstantSchema.optional(),
      statuscategorychangedate: jiraInstantSchema.nullable().optional(),
    })
    .passthrough(),
  changelog: z
    .object({
      histories: z.array(changeHistorySchema),
      total: z.number().int().optional(),
      maxResults: z.number().int().optional(),
    })
    .optional(),
});
export type JiraIssue = z.output<typeof issueSchema>;

export const searchPageSchema = z.object({
  issues: z.array(issueSchema),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});
export type SearchPage = z.output<typeof searchPageSchema>;

export const approximateCountSchema = z.object({ count: z.number().int().nonnegative() });

export const changelogPageSchema = z.object({
  values: z.array(changeHistorySchema),
  startAt: z.number().int(),
  maxResults: z.number().int(),
  total: z.number().int().optional(),
  isLast: z.boolean().optional(),
});

export const myselfSchema = z.object({ accountId: z.string(), displayName: z.string().optional() });

/** `{ errorMessages: [...], errors: { field: message } }`, Jira's error envelope. */
export const jiraErrorSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

/** `sources.jira` in scorecard.yml. */
export const jiraSettingsSchema = z
  .object({
    /** Issues per search page; Jira may return fewer (it caps pages with many fields or a changelog). */
    page_size: z.number().int().min(1).max(5000).default(100),
    /** Statuses an issue leaves when it is reopened (for `reopened`). Compared case-insensitively. */
    done_statuses: z.array(z.string().min(1)).min(1).default(['Done', 'Closed', 'Resolved']),
    /** Overrides of the default budget (bucket `default`, 10 a second). */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type JiraSettings = z.output<typeof jiraSettingsSchema>;

export const JIRA_MEASURES = ['count_now', 'created', 'resolved', 'reopened', 'mean_resolution_days'] as const;
export type JiraMeasure = (typeof JIRA_MEASURES)[number];

/**
 * A metric's query: a JQL filter (the scorecard adds the date bounds, so no ORDER BY) and what to measure.
 * The JQL comes from the catalog, which only admins edit; it is wrapped in parentheses so an `OR` in it cannot
 * escape the date bounds added around it.
 */
export const jiraQuerySchema = z
  .object({
    jql: z
      .string()
      .trim()
      .min(1)
      .refine((jql) => !/\border\s+by\b/i.test(jql), 'leave out ORDER BY: the scorecard adds its own bounds')
      .refine((jql) => balancedParentheses(jql), 'unbalanced parentheses or quotes'),
    measure: z.enum(JIRA_MEASURES),
  })
  .strict();
export type JiraQuery = z.output<typeof jiraQuerySchema>;

/** Parentheses balance outside quoted strings and every quote closes: the filter is one self-contained clause. */
function balancedParentheses(jql: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < jql.length; i++) {
    const char = jql[i]!;
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0 && quote === undefined;
}
