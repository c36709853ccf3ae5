import { z } from 'zod';

/**
 * `sources.hubspot` settings, each `metrics.<id>.query` of a HubSpot metric, and the shapes of the API bodies
 * we read (CRM v3 search, owners, pipelines, lists v3 memberships, associations v4 batch read).
 */

/** HubSpot's default "Connected" call disposition (portal-specific GUIDs; verify in the portal). */
export const CONNECTED_DISPOSITION = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

const ownerRef = z
  .string()
  .trim()
  .min(1)
  .refine((value) => /^\d+$/.test(value) || z.email().safeParse(value).success, 'an owner email or a numeric owner id')
  .transform((value) => value.toLowerCase());

export const settingsSchema = z
  .object({
    /** The team: owners counted by metrics that name none (no query.owners, no email owner). Empty = every owner. */
    owners: z.array(ownerRef).default([]),
    rate_limit: z
      .object({
        /** Non-search calls per rolling 10 s (100 for Free/Starter and OAuth apps, 190 for Pro/Enterprise private apps). */
        per_10s: z.number().int().positive().default(100),
        /** CRM search calls per second, a separate bucket exempt from the ten-secondly limit. */
        search_per_s: z.number().int().positive().default(4),
      })
      .strict()
      .prefault({}),
    max_concurrency: z.number().int().min(1).max(20).default(5),
    /** Days per search window; a window with more than 10,000 matches is split in halves automatically. */
    window_days: z.number().int().min(1).max(92).default(7),
    call_direction_outbound_only: z.boolean().default(false),
    connected_dispositions: z.array(z.string().min(1)).default([CONNECTED_DISPOSITION]),
    dm_note_keywords: z.array(z.string().trim().min(1)).default(['decision maker', 'DM']),
    /** FTA metrics count only meetings of these types (`hs_activity_type`, e.g. "First Meeting"). Empty = every type. */
    fta_meeting_types: z.array(z.string().trim().min(1)).default([]),
    /** `meetings by: attended` counts meetings with one of these outcomes (`hs_meeting_outcome`). */
    fta_attended_outcomes: z.array(z.string().trim().min(1)).min(1).default(['COMPLETED']),
    /**
     * Whether team metrics (counting `owners`, or every owner) also count records with no owner. Unset: only a metric
     * counting every owner does (no owner filter at all), as before the setting existed.
     */
    include_unassigned: z.boolean().optional(),
    mrr_property: z.string().min(1).default('mrr'),
    mql_date_property: z.string().min(1).default('hs_lifecyclestage_marketingqualifiedlead_date'),
    /** The quarter deals summary on the web scorecard: one deals search per refresh (won, lost, open this quarter). */
    quarter_deals: z.boolean().default(true),
    warm250: z
      .object({
        list_id: z.string().min(1).optional(),
        property: z
          .object({ name: z.string().min(1), value: z.string() })
          .strict()
          .optional(),
      })
      .strict()
      .refine((w) => w.list_id !== undefined || w.property !== undefined, 'set list_id or property')
      .optional(),
    tickets: z
      .object({
        /** Emails (or owner ids) whose tickets first response ignores, on top of `support.excluded_owners`. */
        excluded_owners: z.array(ownerRef).default([]),
        /** Count only `support.business_hours` between creation and the first reply (when that schedule exists). */
        business_hours: z.boolean().default(false),
        first_reply_property: z.string().min(1).default('first_agent_reply_date'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type HubspotSettings = z.output<typeof settingsSchema>;

const owners = z.array(ownerRef).min(1).optional();
/** Per metric: count records with no owner too (or not), whatever `sources.hubspot.include_unassigned` says. */
const include_unassigned = z.boolean().optional();

export const querySchema = z.discriminatedUnion('object', [
  z
    .object({
      object: z.literal('calls'),
      owners,
      include_unassigned,
      outbound_only: z.boolean().optional(),
      warm250: z.boolean().default(false),
    })
    .strict(),
  z.object({ object: z.literal('conversations'), owners, include_unassigned, warm250: z.boolean().default(false) }).strict(),
  z
    .object({
      object: z.literal('meetings'),
      by: z.enum(['created', 'attended']),
      owners,
      include_unassigned,
      warm250: z.boolean().default(false),
    })
    .strict(),
  z.object({ object: z.literal('deals'), owners, include_unassigned, property: z.string().min(1).optional() }).strict(),
  z.object({ object: z.literal('mqls') }).strict(),
  z.object({ object: z.literal('open_tickets'), pipelines: z.array(z.string().min(1)).min(1).optional() }).strict(),
  z.object({ object: z.literal('first_response') }).strict(),
]);

export type HubspotQuery = z.output<typeof querySchema>;

// ---- API bodies (loose objects: HubSpot adds fields over time) ----

const nextPage = z.object({ paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional() });

/** SimplePublicObject; property values are strings, or null when unset. */
export const simplePublicObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});
export type SimplePublicObject = z.output<typeof simplePublicObjectSchema>;

/** CollectionResponseWithTotalSimplePublicObject (every CRM search). */
export const searchPageSchema = nextPage.extend({
  total: z.number().int().min(0),
  results: z.array(simplePublicObjectSchema),
});
export type SearchPage = z.output<typeof searchPageSchema>;

export const ownersPageSchema = nextPage.extend({
  results: z.array(
    z.object({
      id: z.string(),
      email: z.string().nullable().optional(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      archived: z.boolean().optional(),
    }),
  ),
});

const stageSchema = z.object({
  id: z.string(),
  label: z.string(),
  archived: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export const pipelinesSchema = z.object({
  results: z.array(z.object({ id: z.string(), label: z.string(), archived: z.boolean().optional(), stages: z.array(stageSchema) })),
});
export type Pipeline = z.output<typeof pipelinesSchema>['results'][number];

/** GET /crm/v3/lists/{listId}/memberships */
export const listMembershipsSchema = nextPage.extend({
  results: z.array(z.object({ recordId: z.union([z.string(), z.number()]).transform(String) })),
});

/** POST /crm/v4/associations/{from}/{to}/batch/read (200, or 207 with `errors` for ids without associations). */
export const associationsBatchSchema = z.object({
  results: z.array(
    nextPage.extend({
      from: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
      to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })),
    }),
  ),
});

/** The body of a 429 (`hubspot/examples/error-429-daily.json` and its ten-secondly / search variants). */
export const rateLimitBodySchema = z.object({
  message: z.string().optional(),
  policyName: z.string().optional(),
  errorType: z.string().optional(),
});

/**
 * HubSpot's `Error` (`hubspot/examples/error.schema-example.json`): a 400 names the bad property in `message`, in
 * `errors[].message` or in a `context` entry such as `propertyName`.
 */
export const errorBodySchema = z.object({
  message: z.string().optional(),
  category: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
  errors: z
    .array(
      z.object({
        message: z.string().optional(),
        code: z.string().optional(),
        context: z.record(z.string(), z.array(z.string())).optional(),
      }),
    )
    .optional(),
});
