import { z } from 'zod';

/**
 * The shape of `scorecard.yml`. Every object is strict so a typo is reported (with the nearest valid key)
 * instead of being silently ignored. Cross-field rules (groups reference metrics, cron and timezone validity)
 * live in `validate.ts` so that all problems are listed at once.
 */

import { AGGREGATES, CADENCES, UNITS, WEEK_DAYS } from './enums.js';
import { goalSchema } from './goal-schema.js';

export { AGGREGATES, CADENCES, GOAL_OPS, UNITS, WEEK_DAYS } from './enums.js';
export { goalSchema } from './goal-schema.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-16');
const weekLabel = z.string().regex(/^\d{4}-W\d{2}$/, 'a week like 2026-W47');

export const goalChangeSchema = z.strictObject({ ...goalSchema.shape, from: localDate });
export const goalOverrideSchema = z.strictObject({ ...goalSchema.shape, period: weekLabel });

export const manualEntrySchema = z
  .object({
    min: z.number().default(0),
    max: z.number().default(1000),
    decimal: z.boolean().default(false),
  })
  .strict();

export const metricSchema = z
  .object({
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    unit: z.enum(UNITS),
    /** Slack user id (U…), user group id (S…, shown as the group's mention) or email. */
    owner: z.string().min(1).optional(),
    /** How the owner is written where Slack mentions don't work (terminal, web, email): "Dana Reyes", "Inside sales". */
    owner_name: z.string().min(1).optional(),
    cadence: z.array(z.enum(CADENCES)).min(1).default(['weekly']),
    aggregate: z.enum(AGGREGATES),
    goal: z.optional(goalSchema),
    goal_history: z.array(goalChangeSchema).default([]),
    goal_overrides: z.array(goalOverrideSchema).default([]),
    /** `manual`, or the id of a registered source (`hubspot`, `simplefin`, …). */
    source: z.string().min(1),
    /** Source-specific parameters, validated by that source's own schema (see `loadConfig`). */
    query: z.record(z.string(), z.unknown()).default({}),
    /** Bounds and number kind for manual entry (modal, CLI). Applies when source is `manual` or `manual: true`. */
    entry: manualEntrySchema.optional(),
    /** Also accept manual entries for a source-fed metric (e.g. FTAs attended outside HubSpot). */
    manual: z.boolean().default(false),
    sensitive: z.boolean().default(false),
    /** Hours after which the newest snapshot counts as stale. Defaults to `defaults.freshness_hours`. */
    freshness_hours: z.number().positive().optional(),
    definition: z.string().min(1),
    why: z.string().min(1),
    calculation: z.string().min(1),
    edge_cases: z.string().optional(),
    benchmark: z.string().optional(),
    /** Shown by /metric for proxies (e.g. "bills missing W-9" is approximated from vendor 1099 flags). */
    caveat: z.string().optional(),
  })
  .strict();

export const groupSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and _'),
    name: z.string().min(1),
    metrics: z.array(z.string()).min(1),
  })
  .strict();

const channelId = z.string().min(1);

export const businessHoursSchema = z
  .object({
    /** e.g. { monday: ["09:00", "17:00"], … }; days omitted are closed (a partial record: zod 4's enum-keyed record requires every day). */
    week: z.partialRecord(z.enum(WEEK_DAYS), z.tuple([z.string(), z.string()])),
    holidays: z.array(localDate).default([]),
  })
  .strict();

const emailAddress = z.email({ error: 'an email address like ops@example.com' });
const recipients = z.array(emailAddress).default([]);

export const emailSchema = z
  .object({
    weekly: recipients,
    cash: recipients,
    support: recipients,
    /** Recipients who see metrics marked `sensitive`; everyone else gets a copy without them. */
    sensitive_recipients: recipients,
  })
  .strict();

export const sheetsSchema = z
  .object({
    /** Metrics marked `sensitive` are mirrored only when true. */
    include_sensitive: z.boolean().default(false),
    /** Days of daily rows the `Daily` tab keeps; older rows are removed. */
    window_days: z.number().int().min(7).max(3650).default(365),
  })
  .strict();

export const configSchema = z
  .object({
    org: z
      .object({
        name: z.string().min(1),
        timezone: z.string().min(1),
        week_start: z.enum(WEEK_DAYS).default('monday'),
      })
      .strict(),
    defaults: z
      .object({
        tolerance_pct: z.number().min(0).max(100).default(10),
        /** Used when a goal is 0, where a percentage of the goal would be 0. */
        tolerance_abs_for_zero: z.number().min(0).default(1),
        freshness_hours: z.number().positive().default(36),
        refresh_trailing_days: z.number().int().min(1).max(90).default(7),
        /** Days after a weekly digest is posted that its week stays open for entries (admins excepted). */
        lock_after_days: z.number().int().min(0).default(7),
        undo_minutes: z.number().int().min(1).default(10),
      })
      .strict()
      .default({
        tolerance_pct: 10,
        tolerance_abs_for_zero: 1,
        freshness_hours: 36,
        refresh_trailing_days: 7,
        lock_after_days: 7,
        undo_minutes: 10,
      }),
    slack: z
      .object({
        channels: z
          .object({
            weekly: channelId.optional(),
            cash: channelId.optional(),
            support: channelId.optional(),
            ops: channelId.optional(),
          })
          .strict()
          .default({}),
        /** Slack user ids (or emails) allowed to log for others, edit locked weeks and see source health. */
        admins: z.array(z.string()).default([]),
        /** Who may see metrics marked `sensitive`. */
        sensitive_access: z
          .object({ users: z.array(z.string()).default([]), channels: z.array(z.string()).default([]) })
          .strict()
          .default({ users: [], channels: [] }),
        /** Email → Slack user id, for owners given as emails (otherwise resolved with users.lookupByEmail). */
        users: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .default({ channels: {}, admins: [], sensitive_access: { users: [], channels: [] }, users: {} }),
    schedule: z
      .object({
        refresh: z.string().default('0 6 * * *'),
        weekly: z.string().default('0 8 * * 1'),
        cash: z.string().default('30 8 * * 1-5'),
        support: z.string().default('35 8 * * 1-5'),
        nudges: z.array(z.string()).default(['0 7 * * 1', '0 15 * * 5']),
        catch_up_grace_hours: z.number().min(0).default(6),
      })
      .strict()
      .default({
        refresh: '0 6 * * *',
        weekly: '0 8 * * 1',
        cash: '30 8 * * 1-5',
        support: '35 8 * * 1-5',
        nudges: ['0 7 * * 1', '0 15 * * 5'],
        catch_up_grace_hours: 6,
      }),
    support: z
      .object({
        /** Which source feeds the support digest's open tickets and first response. */
        source: z.enum(['zendesk', 'intercom', 'livechat', 'hubspot']).default('zendesk'),
        excluded_owners: z.array(z.string()).default([]),
        business_hours: businessHoursSchema.optional(),
      })
      .strict()
      .default({ source: 'zendesk', excluded_owners: [] }),
    /** Source-wide settings (limits, account ids, owners…), validated by each source's schema. */
    sources: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    groups: z.array(groupSchema).min(1),
    metrics: z.record(z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and _'), metricSchema),
    digests: z
      .object({
        /** Metric ids per daily digest, in display order. */
        cash: z.array(z.string()).default([]),
        support: z.array(z.string()).default([]),
      })
      .strict()
      .default({ cash: [], support: [] }),
    /** Email digests (SMTP_URL, EMAIL_FROM): recipients per digest; sensitive metrics only to `sensitive_recipients`. */
    email: emailSchema.default({ weekly: [], cash: [], support: [], sensitive_recipients: [] }),
    /** The Google Sheets mirror (GOOGLE_SERVICE_ACCOUNT_JSON, SHEETS_SPREADSHEET_ID). */
    sheets: sheetsSchema.default({ include_sensitive: false, window_days: 365 }),
  })
  .strict();

export type RawConfig = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type MetricConfig = z.output<typeof metricSchema>;
export type Goal = z.output<typeof goalSchema>;
export type GoalChange = z.output<typeof goalChangeSchema>;
export type GoalOverride = z.output<typeof goalOverrideSchema>;
export type Unit = (typeof UNITS)[number];
export type Aggregate = (typeof AGGREGATES)[number];
export type WeekDay = (typeof WEEK_DAYS)[number];
export type Group = z.output<typeof groupSchema>;
export type EmailConfig = z.output<typeof emailSchema>;
export type SheetsConfig = z.output<typeof sheetsSchema>;

/** A metric with its id attached, as the rest of the code passes it around. */
export type Metric = MetricConfig & { id: string };
