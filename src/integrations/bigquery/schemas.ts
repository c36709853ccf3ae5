import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * BigQuery REST v2 bodies: `jobs.query` (QueryResponse) and `jobs.getQueryResults` (GetQueryResultsResponse) share
 * `schema.fields[{ name, type, mode }]`, `jobReference { projectId, jobId, location }`, `jobComplete`, `pageToken`,
 * `totalRows` (int64 as a string) and `rows[{ f: [{ v }] }]` with every cell a string or null. Errors are Google's
 * `{ error: { code, message, errors: [{ reason, message }], status } }`.
 */

export const fieldSchema = z.object({ name: z.string(), type: z.string(), mode: z.string().optional() });
export type Field = z.output<typeof fieldSchema>;

export const rowSchema = z.object({ f: z.array(z.object({ v: z.string().nullable() })) });
export type Row = z.output<typeof rowSchema>;

export const queryResponseSchema = z.object({
  jobComplete: z.boolean(),
  jobReference: z.object({ projectId: z.string(), jobId: z.string(), location: z.string().optional() }).optional(),
  schema: z.object({ fields: z.array(fieldSchema) }).optional(),
  rows: z.array(rowSchema).optional(),
  pageToken: z.string().optional(),
  totalRows: z.string().optional(),
  totalBytesProcessed: z.string().optional(),
  totalBytesBilled: z.string().optional(),
  cacheHit: z.boolean().optional(),
});
export type QueryResponse = z.output<typeof queryResponseSchema>;

export const googleErrorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string(),
    status: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
  }),
});

export const datasetListSchema = z.object({ datasets: z.array(z.object({ id: z.string() })).optional() });

/** `sources.bigquery` in scorecard.yml. */
export const bigquerySettingsSchema = z
  .object({
    /** Each query fails, unbilled, if it would bill more than this; BigQuery's own `maximumBytesBilled`. */
    maximum_bytes_billed: z.number().int().positive().default(1_000_000_000),
    /** How long one `jobs.query` / `jobs.getQueryResults` call waits for the job before answering `jobComplete: false`. */
    wait_ms: z.number().int().min(1000).max(60_000).default(10_000),
    /** Waits of `wait_ms` before a still-running query is given up (as unavailable). */
    max_waits: z.number().int().min(1).max(100).default(30),
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type BigQuerySettings = z.output<typeof bigquerySettingsSchema>;

/**
 * A metric's query: GoogleSQL returning one row per day, `day DATE, value FLOAT64` (for a ratio also `numerator`,
 * `denominator`). Named parameters: `@from` and `@to` (DATE, the window's local days) and `@timezone` (STRING, the
 * org's zone, e.g. for `DATE(created_at, @timezone)`). Values are always parameters, never spliced into the SQL.
 */
export const bigqueryQuerySchema = z
  .object({
    sql: z.string().trim().min(1),
    /** Days of the window without a row: 0 for flows (default), or left without a value (stocks, snapshots). */
    missing_days: z.enum(['zero', 'skip']).default('zero'),
  })
  .strict();
export type BigQueryQuery = z.output<typeof bigqueryQuerySchema>;
