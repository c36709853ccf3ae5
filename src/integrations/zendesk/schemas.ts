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

/** The ticket metrics an SLA policy can set a target on (`metric` of a ticket metric event). */
export const SLA_METRICS = [
  'reply_time',
  'requester_wait_time',
  'agent_work_time',
  'resolution_time',
  'periodic_update_time',
  'pausable_update_time',
] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

export const zendeskSettingsSchema = z
  .object({
    /**
     * Overrides of the documented limits, per bucket: `default` (every request; the Team plan's 200/min —
     * Growth/Professional allow 400, Enterprise 700), `export` (search export, 100/min per account) and
     * `incremental` (incremental exports, 10/min).
     */
    rate_limit: rateLimitSettingsSchema
      .refine(
        (limits) => Object.keys(limits).every((bucket) => bucket === 'default' || bucket === 'export' || bucket === 'incremental'),
        'buckets are default, export and incremental',
      )
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
  /**
   * SLA targets breached, per local day of the breach, on tickets of owners and groups not excluded; `metrics`
   * narrows which targets count (default all); `first_reply_only` keeps the first reply (`reply_time` instance 1).
   */
  z
    .object({
      kind: z.literal('sla_breaches'),
      metrics: z.array(z.enum(SLA_METRICS)).min(1).optional(),
      first_reply_only: z.boolean().optional(),
    })
    .strict(),
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
  /** When the ticket was last solved; kept by Zendesk after a reopen, so the change scan can name the old day. */
  solved_at: z.string().nullish(),
});
export type TicketMetric = z.output<typeof ticketMetricSchema>;

/** `GET /api/v2/tickets/show_many?ids=…&include=metric_sets` (without `include`: the tickets alone). */
export const ticketsWithMetricSetsSchema = z.object({
  tickets: z.array(z.object({ id: z.number().int(), assignee_id: z.number().int().nullish(), group_id: z.number().int().nullish() })),
  metric_sets: z.array(ticketMetricSchema).default([]),
});

/**
 * One ticket metric event. `metric` and `type` stay open strings: Zendesk adds values over time
 * (`group_ownership_time`, `apply_group_sla`) and an unknown one must not fail the page.
 */
export const ticketMetricEventSchema = z.object({
  id: z.number().int(),
  ticket_id: z.number().int(),
  metric: z.string(),
  instance_id: z.number().int(),
  type: z.string(),
  time: z.string().refine((time) => !Number.isNaN(Date.parse(time)), 'an ISO 8601 time'),
  /** "In general, you can ignore any event where `deleted` is true" (Zendesk docs). */
  deleted: z.boolean().optional(),
});
export type TicketMetricEvent = z.output<typeof ticketMetricEventSchema>;

/**
 * `GET /api/v2/incremental/ticket_metric_events?start_time=…`, time-based incremental export: events in time
 * order, `end_time` (Unix seconds, the next page's start), `next_page`. `end_of_stream` is documented for every
 * incremental export but missing from this endpoint's own example, hence optional.
 */
export const ticketMetricEventsPageSchema = z.object({
  ticket_metric_events: z.array(ticketMetricEventSchema),
  next_page: z.string().nullable().optional(),
  end_time: z.number().int().nullable().optional(),
  end_of_stream: z.boolean().optional(),
  count: z.number().int().optional(),
});

/** A ticket as the incremental ticket export returns it; `status` is `deleted` for a deleted ticket. */
export const changedTicketSchema = exportedTicketSchema.extend({ updated_at: z.string().nullish() });
export type ChangedTicket = z.output<typeof changedTicketSchema>;

/**
 * `GET /api/v2/incremental/tickets/cursor.json?start_time=…&include=metric_sets`, the cursor-based incremental
 * ticket export: tickets changed since `start_time` in change order, the sideloaded metric sets, `after_cursor` /
 * `after_url` for the next page and `end_of_stream` once the stream has caught up with now.
 */
export const changedTicketsPageSchema = z.object({
  tickets: z.array(changedTicketSchema),
  metric_sets: z.array(ticketMetricSchema).default([]),
  after_url: z.string().nullish(),
  after_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});
export type ChangedTicketsPage = z.output<typeof changedTicketsPageSchema>;

/** `GET /api/v2/users/search?query=…`: users matching an email (or name). */
export const userSearchSchema = z.object({
  users: z.array(z.object({ id: z.number().int(), email: z.string().nullish() })),
});

/** `GET /api/v2/groups` (offset pagination: `next_page`). */
export const groupListSchema = z.object({
  groups: z.array(z.object({ id: z.number().int(), name: z.string().nullish() })),
  next_page: z.string().nullish(),
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
