import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Salesforce bodies: the OAuth 2.0 token endpoint answer (`access_token`, `instance_url`, `id`, `token_type`,
 * `issued_at`, `signature`; the client-credentials flow adds `scope`), the REST query resource
 * (`{ totalSize, done, nextRecordsUrl?, records }`, each record with `attributes { type, url }`) and the REST error
 * list (`[{ message, errorCode, fields? }]`).
 */

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().url(),
  token_type: z.string().optional(),
  id: z.string().optional(),
  issued_at: z.string().optional(),
  scope: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const restErrorsSchema = z.array(z.object({ message: z.string(), errorCode: z.string() })).min(1);

/** A record: its fields are whatever the SOQL selected, read by name and checked where used. */
export const recordSchema = z.object({ attributes: z.object({ type: z.string() }).passthrough().optional() }).passthrough();
export type SalesforceRecord = z.output<typeof recordSchema>;

export const queryResultSchema = z.object({
  totalSize: z.number().int().nonnegative(),
  done: z.boolean(),
  nextRecordsUrl: z.string().startsWith('/services/data/').optional(),
  records: z.array(recordSchema),
});
export type QueryResult = z.output<typeof queryResultSchema>;

/** `GET /services/data/vXX.X/limits`, of which only the daily API allocation is read. */
export const limitsSchema = z.object({ DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }) }).passthrough();

/** `sources.salesforce` in scorecard.yml. */
export const salesforceSettingsSchema = z
  .object({
    /** REST API version used in `/services/data/v{api_version}/query`. */
    api_version: z
      .string()
      .regex(/^\d{2,3}\.0$/, 'a version such as "62.0"')
      .default('62.0'),
    /**
     * Stop the run when the org's daily API usage (from `Sforce-Limit-Info`) passes this share of its allocation,
     * so the scorecard never starves the org's other integrations.
     */
    max_api_usage_share: z.number().gt(0).max(1).default(0.5),
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type SalesforceSettings = z.output<typeof salesforceSettingsSchema>;

/** A field name or relationship path as SOQL writes it: `Amount`, `ARR__c`, `Account.ARR__c`. */
const fieldPath = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/, 'a field name such as Amount or Account.ARR__c');

const soql = z
  .string()
  .trim()
  .regex(/^select\s/i, 'a SOQL SELECT statement');

/**
 * A metric's query: SOQL (optionally with the binds `:from`, `:to` — local days as SOQL dates — and `:from_start`,
 * `:to_end` — the window's first and last instants as SOQL datetimes) and a measure:
 * - `count`: `SELECT COUNT() FROM …`, a stock counted now (its `totalSize`);
 * - `sum`: Σ `field` over every record, a stock summed now;
 * - `by_day`: records bucketed by the local day of `day_field` (a date or datetime), counting them or summing `field`.
 */
export const salesforceQuerySchema = z.discriminatedUnion('measure', [
  z.object({ soql, measure: z.literal('count') }).strict(),
  z.object({ soql, measure: z.literal('sum'), field: fieldPath }).strict(),
  z.object({ soql, measure: z.literal('by_day'), day_field: fieldPath, field: fieldPath.optional() }).strict(),
]);
export type SalesforceQuery = z.output<typeof salesforceQuerySchema>;
