import { z } from 'zod';
import { adSpendQuerySchema, orgCurrencySetting } from '../ad-platforms.js';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Google Ads API (REST) bodies: `googleAds:searchStream` answers a JSON array of batches
 * `{ results: [{ customer, segments: { date }, metrics: { costMicros } }], fieldMask, requestId }` (camelCase; int64
 * values such as `costMicros` are strings), and errors are Google's `{ error: { code, message, status, details:
 * [{ '@type': '…GoogleAdsFailure', errors: [{ errorCode, message, details: { quotaErrorDetails: { retryDelay } } }] }] } }`.
 */

export const streamSchema = z.array(
  z.object({
    results: z
      .array(
        z.object({
          customer: z.object({ currencyCode: z.string().optional(), timeZone: z.string().optional() }).passthrough().optional(),
          segments: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
          metrics: z.object({ costMicros: z.string().regex(/^\d+$/, 'an int64 string').optional() }),
        }),
      )
      .optional(),
    fieldMask: z.string().optional(),
    requestId: z.string().optional(),
  }),
);
export type StreamBatch = z.output<typeof streamSchema>[number];

export const googleAdsErrorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string(),
    status: z.string().optional(),
    details: z
      .array(
        z
          .object({
            errors: z
              .array(
                z.object({
                  errorCode: z.record(z.string(), z.string()).optional(),
                  message: z.string().optional(),
                  details: z
                    .object({ quotaErrorDetails: z.object({ retryDelay: z.string().optional() }).passthrough().optional() })
                    .passthrough()
                    .optional(),
                }),
              )
              .optional(),
          })
          .passthrough(),
      )
      .optional(),
  }),
});

/** `sources.google_ads` in scorecard.yml. */
export const googleAdsSettingsSchema = z
  .object({
    /** REST API version; Google sunsets each about a year after release. */
    api_version: z
      .string()
      .regex(/^v\d+$/, 'a version such as v21')
      .default('v21'),
    /** The org's currency: a customer billed in another currency is refused rather than added to USD figures. */
    currency: orgCurrencySetting,
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type GoogleAdsSettings = z.output<typeof googleAdsSettingsSchema>;

export const googleAdsQuerySchema = adSpendQuerySchema;
export type GoogleAdsQuery = z.output<typeof googleAdsQuerySchema>;
