import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * Datto BCDR (api.datto.com/v1) and Datto RMM (v2) bodies, validated only as far as the metrics read them:
 * unknown fields are dropped, missing optional ones never fail a run.
 */

// ── BCDR ─────────────────────────────────────────────────────────────────────────────────────────────

/** `pagination` of the BCDR list endpoints (`_page` is 1-based). */
const bcdrPaginationSchema = z.object({
  page: z.number().int().optional(),
  perPage: z.number().int().optional(),
  totalPages: z.number().int().nonnegative(),
  count: z.number().int().optional(),
});

export const bcdrDeviceSchema = z.object({
  serialNumber: z.string().min(1),
  name: z.string().nullish(),
});
export type BcdrDevice = z.output<typeof bcdrDeviceSchema>;

/** `GET /bcdr/device?_page=&_perPage=`. */
export const bcdrDevicePageSchema = z.object({
  pagination: bcdrPaginationSchema,
  items: z.array(bcdrDeviceSchema),
});

/** Epoch seconds; 0 and null mean "never". Some clients see them as numeric strings. */
const epochSeconds = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((value) => (value ? value : undefined));

const backupEntrySchema = z.object({
  timestamp: z.string().nullish(),
  backup: z.object({ status: z.string().nullish(), errorMessage: z.string().nullish() }).nullish(),
});
export type BackupEntry = z.output<typeof backupEntrySchema>;

/** One agent or share, as in specs/datto/examples/bcdr-device-serialNumber-asset.item.json. */
export const bcdrAssetSchema = z.object({
  name: z.string().nullish(),
  type: z.string().nullish(),
  isPaused: z.boolean().nullish(),
  isArchived: z.boolean().nullish(),
  lastSnapshot: epochSeconds,
  backups: z.array(backupEntrySchema).nullish(),
});
export type BcdrAsset = z.output<typeof bcdrAssetSchema>;

/**
 * `GET /bcdr/device/{serialNumber}/asset`: a bare array without paging parameters; the same list wrapped as
 * `{ pagination, items }` when `_page`/`_perPage` are given. Both are accepted.
 */
export const bcdrAssetListSchema = z
  .preprocess(
    // A bare array is read as a single page, so a bad field is reported by its path either way.
    (body) => (Array.isArray(body) ? { pagination: { totalPages: 1 }, items: body } : body),
    z.object({ pagination: bcdrPaginationSchema, items: z.array(bcdrAssetSchema) }),
  )
  .transform((body) => ({ assets: body.items, totalPages: body.pagination.totalPages }));

// ── RMM ──────────────────────────────────────────────────────────────────────────────────────────────

/** `POST /auth/oauth/token` (password grant). */
export const rmmTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  /** Seconds. */
  expires_in: z.number().positive().optional(),
});

/** `PatchManagement` of the v2 OpenAPI; the status is kept as a string so a new enum value cannot fail a run. */
const patchManagementSchema = z.object({
  patchStatus: z.string().nullish(),
  patchesApprovedPending: z.number().int().nonnegative().nullish(),
  patchesNotApproved: z.number().int().nullish(),
  patchesInstalled: z.number().int().nullish(),
});

export const rmmDeviceSchema = z.object({
  uid: z.string().nullish(),
  hostname: z.string().nullish(),
  deleted: z.boolean().nullish(),
  patchManagement: patchManagementSchema.nullish(),
});
export type RmmDevice = z.output<typeof rmmDeviceSchema>;

/** `DevicesPage`: `{ pageDetails: PaginationData, devices: Device[] }`. */
export const rmmDevicesPageSchema = z.object({
  pageDetails: z.object({
    count: z.number().int().nullish(),
    totalCount: z.number().int().nullish(),
    prevPageUrl: z.string().nullish(),
    nextPageUrl: z.string().nullish(),
  }),
  devices: z.array(rmmDeviceSchema),
});

/** `GET /v2/account` (for `doctor`). */
export const rmmAccountSchema = z.object({
  uid: z.string().nullish(),
  name: z.string().nullish(),
  devicesStatus: z.object({ numberOfDevices: z.number().int().nullish() }).nullish(),
});

// ── config ───────────────────────────────────────────────────────────────────────────────────────────

/** The regional RMM platforms; each answers at `https://{platform}-api.centrastage.net`. */
export const RMM_PLATFORMS = ['pinotage', 'merlot', 'concord', 'vidal', 'zinfandel', 'syrah'] as const;
export type RmmPlatform = (typeof RMM_PLATFORMS)[number];
const RATE_LIMIT_BUCKETS = ['bcdr', 'rmm'];

/** `sources.datto` in scorecard.yml. */
export const dattoSettingsSchema = z
  .object({
    /** The RMM platform of the account (Setup → Global Settings → API); ignored when DATTO_RMM_BASE_URL is set. */
    platform: z.enum(RMM_PLATFORMS).default('pinotage'),
    /** Overrides of the default limits: `bcdr` 100 per minute (undocumented by Datto), `rmm` 600 reads per 60 s. */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => RATE_LIMIT_BUCKETS.includes(bucket)), 'the buckets are bcdr and rmm')
      .optional(),
  })
  .strict();
export type DattoSettings = z.output<typeof dattoSettingsSchema>;

export const dattoQuerySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('failed_backups'),
      /** A protected asset counts when its last snapshot is older than this many hours. */
      older_than_hours: z
        .number()
        .positive()
        .max(24 * 365)
        .default(48),
    })
    .strict(),
  z
    .object({
      kind: z.literal('devices_missing_patches'),
      /** A device counts when more approved patches than this are waiting to install. */
      more_than: z.number().int().nonnegative().default(0),
    })
    .strict(),
]);
export type DattoQuery = z.output<typeof dattoQuerySchema>;
export type DattoQueryKind = DattoQuery['kind'];
