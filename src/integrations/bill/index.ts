import { localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { Source, SourceContext } from '../source.js';
import { BillApi, credentialsFrom, SOURCE_ID, type BillDeps, type SessionCache } from './client.js';
import { newBillTally, tallyBills, tallyVendors, valueFor, type BillTally, type VendorTally } from './collect.js';
import { billQuerySchema, billSchema, billSettingsSchema, vendorSchema, type BillQuery, type BillSettings } from './schemas.js';
import { parseOrConfigError } from '../source-helpers.js';

const NOT_CONFIGURED = 'not configured: set BILL_USERNAME, BILL_PASSWORD, BILL_ORGANIZATION_ID and BILL_DEV_KEY';
const ACTIVE_ONLY = 'archived:eq:false';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `sign-in failed: check BILL_USERNAME, BILL_PASSWORD, BILL_ORGANIZATION_ID and BILL_DEV_KEY, and that BILL_BASE_URL matches their environment (${error.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * BILL (v3 API): bills pending approval (count and amount), vendors not onboarded, and the W-9 proxy.
 * All four are stocks, so a refresh yields one value, for today, when today is inside the requested range.
 */
export function createBillSource(deps: BillDeps = {}): Source<BillSettings, BillQuery> {
  const sessions: SessionCache = new Map();
  const settingsFor = (ctx: SourceContext): BillSettings =>
    parseOrConfigError(SOURCE_ID, billSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.bill');

  return {
    id: SOURCE_ID,
    name: 'BILL',
    envVars: ['BILL_USERNAME', 'BILL_PASSWORD', 'BILL_ORGANIZATION_ID', 'BILL_DEV_KEY', 'BILL_BASE_URL'],
    settingsSchema: billSettingsSchema,
    querySchema: billQuerySchema,
    configured: (env) => credentialsFrom(env) !== undefined,

    async *collect(ctx, { from, to, metrics }) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        kind: parseOrConfigError(SOURCE_ID, billQuerySchema, metric.query, `metrics.${metric.id}.query`).kind,
      }));
      const today = localDayOf(ctx.now, ctx.config.org.timezone);
      if (wanted.length === 0 || today < from || today > to) return;

      const kinds = new Set(wanted.map((metric) => metric.kind));
      const api = new BillApi(ctx, credentials, settings, deps, sessions);

      let vendors: VendorTally | undefined;
      if (kinds.has('vendors_not_onboarded') || kinds.has('bills_missing_w9')) {
        vendors = { notOnboarded: 0, lackingTaxId: new Set() };
        for await (const page of api.list('v3/vendors', vendorSchema, ACTIVE_ONLY)) {
          tallyVendors(vendors, page, settings.vendor_onboarded_requires);
        }
      }

      let bills: BillTally | undefined;
      if (kinds.has('bills_pending_approval') || kinds.has('bills_pending_amount') || kinds.has('bills_missing_w9')) {
        bills = newBillTally();
        const lackingTaxId = vendors?.lackingTaxId ?? new Set<string>();
        for await (const page of api.list('v3/bills', billSchema, ACTIVE_ONLY)) tallyBills(bills, page, lackingTaxId);
      }

      yield wanted.map((metric) => valueFor(metric.id, metric.kind, today, { bills, vendors }));
    },

    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        await new BillApi(ctx, credentials, settingsFor(ctx), deps, sessions).signIn();
        return { ok: true, detail: 'signed in; session established' };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  };
}

export const billSource = createBillSource();
