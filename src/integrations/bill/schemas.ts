import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/** BILL v3 responses (field names as in the developer.bill.com samples; list envelope per the v3 list docs). */

const money = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

export const loginResponseSchema = z.object({
  sessionId: z.string().min(1),
  organizationId: z.string().optional(),
  userId: z.string().optional(),
});

export function listPageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    results: z.array(item),
    nextPage: z.string().nullish(),
    prevPage: z.string().nullish(),
  });
}

export const billSchema = z.object({
  id: z.string(),
  archived: z.boolean().optional(),
  vendorId: z.string(),
  amount: money,
  paymentStatus: z.string().optional(),
  approvalStatus: z.string().optional(),
});
export type Bill = z.output<typeof billSchema>;

export const vendorSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  archived: z.boolean().optional(),
  email: z.string().nullish(),
  networkStatus: z.string().nullish(),
  address: z
    .object({
      line1: z.string().nullish(),
      city: z.string().nullish(),
      zipOrPostalCode: z.string().nullish(),
      country: z.string().nullish(),
    })
    .nullish(),
  paymentInformation: z
    .object({
      payByType: z.string().nullish(),
      bankAccount: z.record(z.string(), z.unknown()).nullish(),
      virtualCard: z.object({ status: z.string().nullish() }).nullish(),
    })
    .nullish(),
  additionalInfo: z
    .object({
      taxId: z.string().nullish(),
      track1099: z.boolean().nullish(),
    })
    .nullish(),
});
export type Vendor = z.output<typeof vendorSchema>;

/** `[{ timestamp, code: "BDC_…", severity, category, message }]` */
export const errorBodySchema = z.array(z.object({ code: z.string(), message: z.string().optional() }).passthrough()).min(1);

export const ONBOARDING_REQUIREMENTS = ['bank_account', 'tax_id', 'address', 'email'] as const;
export type OnboardingRequirement = (typeof ONBOARDING_REQUIREMENTS)[number];

/** `sources.bill` in scorecard.yml. */
export const billSettingsSchema = z
  .object({
    /**
     * What a vendor needs to count as onboarded. `bank_account` (the default, per the research notes) means an
     * electronic payment path: connected on the BILL network, a bank account on file, or an enrolled virtual card.
     */
    vendor_onboarded_requires: z.array(z.enum(ONBOARDING_REQUIREMENTS)).min(1).default(['bank_account']),
    /** Overrides of the documented 20,000 requests per hour per developer key (bucket `default`). */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type BillSettings = z.output<typeof billSettingsSchema>;

export const billQuerySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bills_pending_approval') }).strict(),
  z.object({ kind: z.literal('bills_pending_amount') }).strict(),
  z.object({ kind: z.literal('vendors_not_onboarded') }).strict(),
  z.object({ kind: z.literal('bills_missing_w9') }).strict(),
]);
export type BillQuery = z.output<typeof billQuerySchema>;
export type BillQueryKind = BillQuery['kind'];
