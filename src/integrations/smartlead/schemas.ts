import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Smartlead responses. The current reference wraps bodies as `{ ok, data }`; older docs and live clients read the
 * same objects at the top level. `smartleadBody` accepts both: an object with a boolean `ok` and a `data` key is
 * unwrapped, anything else is validated as it stands.
 */
export function unwrapEnvelope(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  return typeof record.ok === 'boolean' && 'data' in record ? record.data : value;
}

export function smartleadBody<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess(unwrapEnvelope, schema);
}

/** Counts sometimes arrive as strings ("480"). */
const count = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .pipe(z.number().nonnegative());

/** Smartlead timestamps are UTC; a value without a zone designator still means UTC. */
export function parseSmartleadInstant(text: string): Date {
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
const instant = z.string().refine((text) => !Number.isNaN(parseSmartleadInstant(text).getTime()), 'an ISO datetime');

export const campaignSchema = z.object({
  id: z.number().int(),
  name: z.string().nullish(),
  status: z.string(),
  created_at: instant.nullish(),
});
export type Campaign = z.output<typeof campaignSchema>;
export const campaignListSchema = smartleadBody(z.array(campaignSchema));

export const campaignAnalyticsSchema = smartleadBody(
  z.object({
    campaign_lead_stats: z.object({ notStarted: count, total: count.optional() }),
  }),
);

export const overallStatsSchema = smartleadBody(
  z.object({
    campaign_wise_performance: z.array(z.object({ id: z.number().int(), unique_lead_count: count, sent: count.optional() })),
  }),
);

const campaignLeadSchema = z.object({ created_at: instant });
export type CampaignLead = z.output<typeof campaignLeadSchema>;

/** `GET /campaigns/{id}/leads`: `{ total_leads, data: [...], offset, limit }`, or the list itself inside `{ ok, data }`. */
export const campaignLeadsPageSchema = smartleadBody(
  z
    .union([z.array(campaignLeadSchema), z.object({ data: z.array(campaignLeadSchema), total_leads: count.optional() })])
    .transform((page) => (Array.isArray(page) ? { leads: page, total: undefined } : { leads: page.data, total: page.total_leads })),
);

/** `sources.smartlead` in scorecard.yml. */
export const smartleadSettingsSchema = z
  .object({
    /** Trailing complete days (ending yesterday) that the average leads contacted per day is taken over. */
    runway_window_days: z.number().int().min(1).max(90).default(14),
    /** Overrides of the default 1 request per second (bucket `default`); Smartlead allows more on paid plans. */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type SmartleadSettings = z.output<typeof smartleadSettingsSchema>;

export const smartleadQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('leads_in_queue') }).strict(),
  z.object({ kind: z.literal('avg_leads_contacted_per_day') }).strict(),
  z.object({ kind: z.literal('lead_queue_runway') }).strict(),
  z.object({ kind: z.literal('new_contacts_sequenced') }).strict(),
]);
export type SmartleadQuery = z.output<typeof smartleadQuerySchema>;
export type SmartleadQueryKind = SmartleadQuery['kind'];
