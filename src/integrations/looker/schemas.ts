import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Looker API 4.0 bodies, per the official spec (looker-open-source/sdk-codegen `spec/Looker.4.0.oas.json`):
 * `POST /login` answers an AccessToken `{ access_token, token_type, expires_in }`; `run_look` and
 * `run_inline_query` with `result_format=json` answer an array of rows keyed by `view.field`; errors are
 * `{ message, documentation_url }`.
 */

export const accessTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().nonnegative(),
});

export const lookerErrorSchema = z.object({ message: z.string(), documentation_url: z.string().nullable().optional() });

export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const resultRowsSchema = z.array(z.record(z.string(), cellSchema));
export type ResultRow = z.output<typeof resultRowsSchema>[number];

export const userSchema = z.object({ id: z.union([z.string(), z.number()]), display_name: z.string().nullable().optional() });

/** `sources.looker` in scorecard.yml. */
export const lookerSettingsSchema = z
  .object({
    /** Row cap per run (Looker's `limit`); a result that reaches it is refused rather than silently cut short. */
    row_limit: z.number().int().min(1).max(50_000).default(5000),
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type LookerSettings = z.output<typeof lookerSettingsSchema>;

/** `view.field`, as Looker names result columns. */
const fieldName = z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/i, 'a field name such as orders.count');

const valueAndDate = {
  /** The column summed into the value. */
  value_field: fieldName,
  /** A date (or time) column: values are bucketed by its day. Without it, the result is today's snapshot of a stock. */
  date_field: fieldName.optional(),
};

/**
 * A metric's query: a saved Look, or an inline query. An inline query with a `date_field` is filtered to the
 * window by the scorecard and runs in the org's timezone; a Look runs as saved (give it a relative date filter
 * covering the refresh window, e.g. "14 days", and the org's timezone).
 */
export const lookerQuerySchema = z.union([
  z.object({ look_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String), ...valueAndDate }).strict(),
  z
    .object({
      model: z.string().min(1),
      view: z.string().min(1),
      fields: z.array(fieldName).min(1),
      filters: z.record(fieldName, z.string()).default({}),
      ...valueAndDate,
    })
    .strict(),
]);
export type LookerQuery = z.output<typeof lookerQuerySchema>;
