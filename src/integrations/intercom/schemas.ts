import { z } from 'zod';
import { businessHoursSchema } from '../../config/schema.js';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Intercom REST API 2.14 bodies (specs/intercom/api.intercom.io.2.14.yaml) and this source's settings and
 * query schemas. Response objects keep only the fields the scorecard reads.
 */

// ─── settings (`config.sources.intercom`) and metric queries ────────────────────────────────────────────

export const REGIONS = ['us', 'eu', 'au'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * How a conversation's first response is measured:
 * `calendar` — `statistics.first_admin_reply_at − first_contact_reply_at` (wall-clock);
 * `office_hours` — `statistics.time_to_admin_reply` (Intercom subtracts time outside its office hours);
 * `schedule` — the same interval measured against `config.support.business_hours`.
 * Unset: `schedule` when business hours are configured, else `calendar`.
 */
export const RESPONSE_TIME_MODES = ['calendar', 'office_hours', 'schedule'] as const;
export type ResponseTimeMode = (typeof RESPONSE_TIME_MODES)[number];

export const intercomSettingsSchema = z
  .object({
    /** Data-centre when `INTERCOM_BASE_URL` is not set. */
    region: z.enum(REGIONS).default('us'),
    /** Override of the documented limit, bucket `default`: 1,000 calls/min per workspace, enforced per 10 s (166). */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
    /** Sent as the `Intercom-Version` header. */
    api_version: z.string().min(1).default('2.14'),
    response_time: z.enum(RESPONSE_TIME_MODES).optional(),
    /** Replaces `config.support.excluded_owners` for Intercom: teammate emails or admin ids. */
    excluded_owners: z.array(z.string().min(1)).optional(),
    /** Admin ids of bots / automation teammates (e.g. Operator); conversations assigned to them are left out. */
    bot_admin_ids: z.array(z.string().min(1)).default([]),
    /** Snoozed conversations count as open (the catalog's "pending or on hold"); false counts state open only. */
    include_snoozed: z.boolean().default(true),
    /** Leave out conversations Fin AI Agent took part in (their first human reply includes the bot's time). */
    exclude_ai_agent_conversations: z.boolean().default(false),
    /** Replaces `config.support.business_hours` for Intercom. */
    business_hours: businessHoursSchema.optional(),
    /** Conversations per search page (Intercom allows up to 150). */
    per_page: z.number().int().min(1).max(150).default(150),
  })
  .strict();
export type IntercomSettings = z.output<typeof intercomSettingsSchema>;

export const intercomQuerySchema = z.discriminatedUnion('kind', [
  /** Conversations created per local day. */
  z.object({ kind: z.literal('conversations') }).strict(),
  /**
   * Mean first response in hours, as a ratio per local day of conversation creation. A median is not offered:
   * medians of days cannot be combined into a week's median, and the store keeps daily values only.
   */
  z.object({ kind: z.literal('first_response'), response_time: z.enum(RESPONSE_TIME_MODES).optional() }).strict(),
  /** Conversations in state `open` now: a stock, recorded for today only. */
  z.object({ kind: z.literal('open_conversations') }).strict(),
  /**
   * Conversations whose SLA was missed (`sla_applied.sla_status` = `missed`), per local day of creation: Intercom
   * dates no miss, and marks one only at the next teammate reply, so a day's count can rise later (the
   * modification cursor re-collects it).
   */
  z.object({ kind: z.literal('sla_breaches') }).strict(),
]);
export type IntercomQuery = z.output<typeof intercomQuerySchema>;

// ─── responses ────────────────────────────────────────────────────────────────────────────────────────

const epochSeconds = z.number().int().nullable().optional();

export const conversationStatisticsSchema = z.object({
  time_to_admin_reply: z.number().nullable().optional(),
  first_contact_reply_at: epochSeconds,
  first_admin_reply_at: epochSeconds,
});

export const conversationSchema = z.object({
  id: z.string(),
  created_at: z.number().int(),
  updated_at: z.number().int().nullish(),
  state: z.string().optional(),
  admin_assignee_id: z.union([z.number().int(), z.string()]).nullable().optional(),
  ai_agent_participated: z.boolean().nullable().optional(),
  statistics: conversationStatisticsSchema.nullable().optional(),
  /** `sla_status`: hit, missed, cancelled, active; null once an SLA was removed by hand. Open string: new values must not fail a page. */
  sla_applied: z.object({ sla_name: z.string().nullish(), sla_status: z.string().nullish() }).nullish(),
});
export type Conversation = z.output<typeof conversationSchema>;

/** `POST /conversations/search` (cursor: `pages.next.starting_after`). */
export const conversationListSchema = z.object({
  type: z.literal('conversation.list'),
  total_count: z.number().int().nonnegative(),
  conversations: z.array(conversationSchema),
  pages: z
    .object({ next: z.object({ starting_after: z.string().nullable().optional() }).nullable().optional() })
    .nullable()
    .optional(),
});

/** `GET /admins` */
export const adminListSchema = z.object({
  type: z.literal('admin.list'),
  admins: z.array(z.object({ id: z.string(), email: z.string().nullable().optional(), name: z.string().nullable().optional() })),
});

/** `GET /me` */
export const currentAdminSchema = z.object({
  type: z.literal('admin'),
  id: z.string(),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  app: z.object({ name: z.string().nullable().optional(), region: z.string().nullable().optional() }).nullable().optional(),
});
