import { localDayOf } from '../../metrics/periods.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { BillApi, SOURCE_ID, type BillDeps, type SessionCache } from './client.js';
import { credentialsFrom } from './credentials.js';
import { newBillTally, tallyBills, tallyVendors, valueFor, type BillTally, type VendorTally } from './map.js';
import { billSchema, vendorSchema, type BillQuery, type BillSettings } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set BILL_USERNAME, BILL_PASSWORD, BILL_ORGANIZATION_ID and BILL_DEV_KEY';
const ACTIVE_ONLY = 'archived:eq:false';

export async function* collectBill(
  ctx: SourceRun<BillSettings>,
  { from, to, metrics }: SourceRequest<BillQuery>,
  deps: BillDeps,
  sessions: SessionCache,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  const wanted = metrics.map((metric) => ({
    id: metric.id,
    kind: metric.query.kind,
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
}
