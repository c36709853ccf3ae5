import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Autotask REST responses. The vendor swagger spells properties in PascalCase (`Url`, `CreateDate`, `PicklistValues`)
 * while live tenants answer in camelCase (`url`, `createDate`, `picklistValues`); the two differ only in the first
 * letter, so every body is normalised to camelCase before validation and both spellings are accepted.
 */

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), camelKeys(inner)]),
  );
}

function autotaskBody<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess(camelKeys, schema);
}

/** Autotask datetimes are UTC; some fields come without a zone designator, which still means UTC. */
export function parseAutotaskInstant(text: string): Date {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  return new Date(hasZone ? text : `${text}Z`);
}

const instant = z.string().refine((text) => !Number.isNaN(parseAutotaskInstant(text).getTime()), 'an ISO datetime');

export const zoneInformationSchema = autotaskBody(
  z.object({
    zoneName: z.string().optional(),
    url: z.string().url(),
    webUrl: z.string().optional(),
  }),
);

const pageDetailsSchema = z.object({
  count: z.number().int().nonnegative(),
  requestCount: z.number().int().optional(),
  prevPageUrl: z.string().nullish(),
  nextPageUrl: z.string().nullish(),
});

export function queryPageSchema<T extends z.ZodTypeAny>(item: T) {
  return autotaskBody(z.object({ items: z.array(item), pageDetails: pageDetailsSchema }));
}

export const queryCountSchema = autotaskBody(z.object({ queryCount: z.number().int().nonnegative() }));

export const ticketSchema = z.object({
  id: z.number().int(),
  createDate: instant,
  completedDate: instant.nullish(),
  status: z.number().int().optional(),
});
export type Ticket = z.output<typeof ticketSchema>;

export const timeEntrySchema = z.object({
  id: z.number().int(),
  resourceID: z.number().int(),
  dateWorked: instant,
  hoursWorked: z.number(),
  isNonBillable: z.boolean(),
  billingCodeID: z.number().int().nullish(),
  /** The internal (allocation) code of a Regular Time entry, where time-off codes are usually set. */
  internalBillingCodeID: z.number().int().nullish(),
});

export const billingCodeSchema = z.object({ id: z.number().int() });
export type TimeEntry = z.output<typeof timeEntrySchema>;

export const resourceSchema = z.object({
  id: z.number().int(),
  email: z.string().nullish(),
});

const picklistValueSchema = z.object({
  value: z.union([z.string(), z.number()]).transform(String),
  label: z.string(),
  isActive: z.boolean().optional(),
});

export const entityFieldsSchema = autotaskBody(
  z.object({
    fields: z.array(
      z.object({
        name: z.string(),
        isPickList: z.boolean().optional(),
        picklistValues: z.array(picklistValueSchema).nullish(),
      }),
    ),
  }),
);

/** `sources.autotask` in scorecard.yml. */
export const autotaskSettingsSchema = z
  .object({
    /** The one queue the ticket metrics count. A name is resolved to its id through the queueID picklist. */
    queue: z
      .object({ id: z.number().int().positive().optional(), name: z.string().min(1).optional() })
      .strict()
      .refine((queue) => queue.id !== undefined || queue.name !== undefined, 'give the queue id or name')
      .optional(),
    /** Ticket status picklist value meaning "Complete" (5 unless the tenant customised it). */
    complete_status: z.number().int().default(5),
    /**
     * The technicians whose time counts toward utilization: ids or emails. Required for utilization — never everyone,
     * so managers and admins stay out unless listed.
     */
    resources: z.array(z.union([z.number().int().positive(), z.string().email()])).default([]),
    /**
     * More billing code ids of time off (PTO, holiday, sick), added to the codes Autotask itself marks as time off:
     * entries with one are not worked time, left out of both sides of utilization.
     */
    time_off_billing_codes: z.array(z.number().int().positive()).default([]),
    /** Whether time off counts as hours worked. It does not by default: PTO and holidays are left out of utilization. */
    time_off_counts_as_worked: z.boolean().default(false),
    /** Overrides of the documented 10,000 requests per hour (bucket `default`), e.g. to share it with other integrations. */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type AutotaskSettings = z.output<typeof autotaskSettingsSchema>;

export const autotaskQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tickets_opened') }).strict(),
  z.object({ kind: z.literal('tickets_closed') }).strict(),
  /** Same-day closes ÷ tickets closed (the catalog's reading, as the Scorecard 2025 plan), or ÷ tickets created. */
  z.object({ kind: z.literal('same_day_close_rate'), denominator: z.enum(['closed', 'created']).optional() }).strict(),
  z.object({ kind: z.literal('utilization') }).strict(),
]);
export type AutotaskQuery = z.output<typeof autotaskQuerySchema>;
export type AutotaskQueryKind = AutotaskQuery['kind'];
