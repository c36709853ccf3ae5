import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * LiveChat (Text) API v3.5 bodies — Reports, Agent Chat and Configuration APIs (examples in
 * specs/livechat/examples) — and this source's settings and query schemas. Objects keep only what is read.
 */

// ─── settings (`config.sources.livechat`) and metric queries ────────────────────────────────────────────

export const RESPONSE_UNITS = ['seconds', 'minutes'] as const;
export type ResponseUnit = (typeof RESPONSE_UNITS)[number];

export const livechatSettingsSchema = z
  .object({
    /** Override of bucket `default`. LiveChat publishes no numbers ("Too many requests" then unblocked later). */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
    /**
     * No longer used: first response is read from chat threads, not the reports API. Still accepted so existing
     * configurations keep loading.
     */
    first_response_unit: z.enum(RESPONSE_UNITS).default('seconds'),
    /**
     * First response in `schedule` hours (the open hours of `support.business_hours`, the default when they are set)
     * or `calendar` hours (around the clock, the default otherwise).
     */
    first_response_hours: z.enum(['schedule', 'calendar']).optional(),
    /** Replaces `config.support.excluded_owners` for LiveChat: agent ids (the agents' emails). */
    excluded_owners: z.array(z.string().min(1)).optional(),
    /** Agent ids of bots (ChatBot and other integrations answering as agents). */
    bot_agents: z.array(z.string().min(1)).default([]),
    /** Agents whose role (from list_agents) is one of these count as bots too. */
    bot_roles: z.array(z.string().min(1)).default([]),
    /** Also treat every bot of the license (Configuration API list_bots, scope agents-bot--all:ro) as a bot. */
    discover_bots: z.boolean().default(true),
    /** Bot messages are skipped when finding a chat's first response (the human reply after them counts). */
    exclude_bot_first_responses: z.boolean().default(true),
    /** Safety bound on list_chats pages (100 chats each) when counting open chats; reaching it adds a warning. */
    open_chats_max_pages: z.number().int().min(1).max(1000).default(50),
  })
  .strict();
export type LivechatSettings = z.output<typeof livechatSettingsSchema>;

export const livechatQuerySchema = z.discriminatedUnion('kind', [
  /** Chats per local day (Reports total_chats). */
  z.object({ kind: z.literal('total_chats') }).strict(),
  /** Mean first response in hours, a ratio per local day weighted by the day's responded chats. */
  z.object({ kind: z.literal('first_response_time') }).strict(),
  /** Active chats now that a human serves or that wait for one: a stock, recorded for today only. */
  z.object({ kind: z.literal('open_chats') }).strict(),
  /** Chats per local day in which a bot spoke and a human agent answered after it (from archived threads). */
  z.object({ kind: z.literal('bot_transfers') }).strict(),
]);
export type LivechatQuery = z.output<typeof livechatQuerySchema>;

// ─── responses ────────────────────────────────────────────────────────────────────────────────────────

/** `POST /v3.5/reports/chats/total_chats`: `records` per distribution bucket; days without chats are `{}`. */
export const totalChatsReportSchema = z.object({
  total: z.number(),
  records: z.record(z.string(), z.object({ total: z.number().optional(), continuous: z.number().optional() })),
});

/** `POST /v3.5/reports/chats/first_response_time`: a day's average over its `count` chats; `{}` when none. */
export const firstResponseReportSchema = z.object({
  total: z.number(),
  records: z.record(z.string(), z.object({ count: z.number().optional(), first_response_time: z.number().optional() })),
});

const userSchema = z.object({ id: z.string(), type: z.string().optional() });
export type ChatUser = z.output<typeof userSchema>;

/** `POST /v3.5/agent/action/list_chats` */
export const listChatsSchema = z.object({
  chats_summary: z.array(
    z.object({
      id: z.string(),
      users: z.array(userSchema).default([]),
      last_thread_summary: z
        .object({ id: z.string(), active: z.boolean().optional(), user_ids: z.array(z.string()).optional() })
        .nullable()
        .optional(),
    }),
  ),
  next_page_id: z.string().nullable().optional(),
  found_chats: z.number().optional(),
});
export type ChatSummary = z.output<typeof listChatsSchema>['chats_summary'][number];

const eventSchema = z.object({
  id: z.string().optional(),
  created_at: z.string(),
  type: z.string(),
  author_id: z.string().optional(),
});

/** `POST /v3.5/agent/action/list_archives`: one chat per thread, with that thread's events. */
export const listArchivesSchema = z.object({
  chats: z.array(
    z.object({
      id: z.string(),
      users: z.array(userSchema).default([]),
      thread: z.object({ id: z.string(), created_at: z.string(), events: z.array(eventSchema).default([]) }),
    }),
  ),
  next_page_id: z.string().nullable().optional(),
  found_chats: z.number().optional(),
});
export type ArchivedChat = z.output<typeof listArchivesSchema>['chats'][number];

/** `POST /v3.5/configuration/action/list_agents` */
export const listAgentsSchema = z.array(z.object({ id: z.string(), name: z.string().optional(), role: z.string().optional() }));

/** `POST /v3.5/configuration/action/list_bots` */
export const listBotsSchema = z.array(z.object({ id: z.string(), name: z.string().optional() }));
