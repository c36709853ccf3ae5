import { z } from 'zod';
import { adSpendQuerySchema, orgCurrencySetting } from '../ad-platforms.js';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Meta Marketing API bodies: Insights (`{ data: [{ spend, account_currency, date_start, date_stop }], paging:
 * { cursors: { before, after }, next? } }`, `spend` a decimal string in the account currency), the ad account
 * (`{ id, currency, timezone_name }`) and the Graph error (`{ error: { message, type, code, error_subcode,
 * fbtrace_id } }`). Usage headers: `X-Business-Use-Case-Usage` (per business id, a list of
 * `{ type, call_count, total_cputime, total_time, estimated_time_to_regain_access }`), `X-Ad-Account-Usage`
 * (`{ acc_id_util_pct, reset_time_duration }`) and `X-FB-Ads-Insights-Throttle` (`{ app_id_util_pct, acc_id_util_pct }`).
 */

export const insightsPageSchema = z.object({
  data: z.array(
    z.object({
      spend: z.string().regex(/^\d+(\.\d+)?$/, 'a decimal string'),
      account_currency: z.string().optional(),
      date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      date_stop: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
  ),
  paging: z
    .object({ cursors: z.object({ before: z.string().optional(), after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});
export type InsightsPage = z.output<typeof insightsPageSchema>;

export const adAccountSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  currency: z.string(),
  timezone_name: z.string().optional(),
});

export const graphErrorSchema = z.object({
  error: z.object({ message: z.string(), type: z.string().optional(), code: z.number().int(), error_subcode: z.number().int().optional() }),
});

/** `sources.meta_ads` in scorecard.yml. */
export const metaAdsSettingsSchema = z
  .object({
    /** Graph API version; Meta retires each about two years after release. */
    api_version: z
      .string()
      .regex(/^v\d+\.\d+$/, 'a version such as v25.0')
      .default('v25.0'),
    /** The org's currency: spend in any other currency is refused rather than added to USD figures. */
    currency: orgCurrencySetting,
    /** Pause before the next call once any usage header reaches this percentage, so usage never hits 100 %. */
    pause_at_usage_pct: z.number().min(1).max(99).default(75),
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type MetaAdsSettings = z.output<typeof metaAdsSettingsSchema>;

/** Daily spend of the whole ad account; `feeds` names the currency metric it is a channel of (default ad_spend). */
export const metaAdsQuerySchema = adSpendQuerySchema;
export type MetaAdsQuery = z.output<typeof metaAdsQuerySchema>;
