import { z } from 'zod';
import { businessHoursSchema } from '../../config/schema.js';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Zendesk Support API v2 bodies (developer.zendesk.com; examples in specs/zendesk/examples) and this source's
 * settings and query schemas. Response objects keep only the fields the scorecard reads.
 */

// ─── settings (`config.sources.zendesk`) and metric queries ─────────────────────────────────────────────

/**
 * How a ticket's first reply time is measured:
 * `calendar` — Zendesk's `reply_time_in_minutes.calendar`;
 * `business` — Zendesk's own `reply_time_in_minutes.business` (the schedule set up in Zendesk);
 * `schedule` — the calendar reply instant measured against the scorecard's business hours (`config.support.business_hours`).
 * Unset: `schedule` when business hours are configured, else `calendar`.
 */
export const REPLY_TIME_MODES = ['calendar', 'business', 'schedule'] as const;
export type ReplyTimeMode = (typeof REPLY_TIME_MODES)[number];

export const zendeskSettingsSchema = z
  .object({
    /**
     * Overrides of the documented limits, per bucket: `default` (every request; the Team plan's 200/min —
     * Growth/Professional allow 400, Enterprise 700) and `export` (search export, 100/min per account).
     */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default' || bucket === 'export'), 'buckets are default and export')
      .optional(),
    minutes: z.enum(REPLY_TIME_MODES).optional(),
    /** Replaces `config.support.excluded_owners` for Zendesk: assignee emails or user ids. */
    excluded_owners: z.array(z.string().min(1)).optional(),
    /** Group names or ids whose tickets are left out of every Zendesk figure. */
    excluded_groups: z.array(z.string().min(1)).default([]),
    /** Replaces `config.support.business_hours` for Zendesk. */
    business_hours: businessHoursSchema.optional(),
    /** Tickets per search export page (Zendesk allows up to 100; the ticket show_many batch is the same size). */
    page_size: z.number().int().min(1).max(100).default(100),
  })
  .strict();
export type ZendeskSettings = z.output<typeof zendeskSettingsSchema>;

export const zendeskQuerySchema = z.discriminatedUnion('kind', [
  /** Unsolved tickets now (new, open, pending, on-hold): a stock, recorded for today only. */
  z.object({ kind: z.literal('open_tickets') }).strict(),
  /** Mean first reply time in hours, as a ratio per local day of ticket creation. */
  z.object({ kind: z.literal('first_reply_time'), minutes: z.enum(REPLY_TIME_MODES).optional() }).strict(),
  z.object({ kind: z.literal('tickets_created') }).strict(),
  z.object({ kind: z.literal('tickets_solved') }).strict(),
]);
export type ZendeskQuery = z.output<typeof zendeskQuerySchema>;

// ─── responses ────────────────────────────────────────────────────────────────────────────────────────

/** `GET /api/v2/search/count` */
export const searchCountSchema = z.object({ count: z.number().int().nonnegative() });

/** A ticket as the search export returns it (`results[]`). */
export const exportedTicketSchema = z.object({
  id: z.number().int(),
  created_at: z.string(),
  assignee_id: z.number().int().nullable().optional(),
  group_id: z.number().int().nullable().optional(),
  status: z.string().optional(),
});
export type ExportedTicket = z.output<typeof exportedTicketSchema>;

/** `GET /api/v2/search/export` (cursor pagination: `meta.has_more`, `meta.after_cursor`, `links.next`). */
export const searchExportSchema = z.object({
  results: z.array(exportedTicketSchema),
  meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullable().optional() }),
  links: z.object({ next: z.string().nullable().optional() }).optional(),
});

const minutesPairSchema = z.object({ business: z.number().nullable().optional(), calendar: z.number().nullable().optional() });

/** One ticket metric set (`ticket_metrics[]`, or `metric_sets[]` sideloaded on tickets). */
export const ticketMetricSchema = z.object({
  ticket_id: z.number().int(),
  created_at: z.string(),
  replies: z.number().int().nullable().optional(),
  reply_time_in_minutes: minutesPairSchema.nullable().optional(),
  reply_time_in_seconds: z.object({ calendar: z.number().nullable().optional() }).nullable().optional(),
});
export type TicketMetric = z.output<typeof ticketMetricSchema>;

/** `GET /api/v2/tickets/show_many?ids=…&include=metric_sets` */
export const ticketsWithMetricSetsSchema = z.object({
  tickets: z.array(z.object({ id: z.number().int() })),
  metric_sets: z.array(ticketMetricSchema).default([]),
});

/** `GET /api/v2/users/me`: an unauthenticated call answers with an anonymous user whose id is null. */
export const currentUserSchema = z.object({
  user: z.object({
    id: z.number().int().nullable(),
    name: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    role: z.string().nullable().optional(),
  }),
});
