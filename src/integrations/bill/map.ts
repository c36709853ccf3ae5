import type { LocalDay } from '../../metrics/types.js';
import type { CollectedValue } from '../source.js';
import type { Bill, BillQueryKind, OnboardingRequirement, Vendor } from './schemas.js';

/**
 * Pure mappers from BILL bills and vendors to today's AP-hygiene figures. Everything here is a stock: BILL keeps
 * no history of approval states, so a refresh can only say what is true now.
 */

/**
 * Approval states that mean "waiting on an approver". The v3 sample shows `ASSIGNED`; `APPROVING` is the other
 * spelling the research notes expect for the same state (unverified), so both count.
 */
export const PENDING_APPROVAL_STATUSES: ReadonlySet<string> = new Set(['ASSIGNED', 'APPROVING']);
/** Approval states known not to be pending; anything else is reported as a warning instead of being guessed. */
export const SETTLED_APPROVAL_STATUSES: ReadonlySet<string> = new Set(['UNASSIGNED', 'APPROVED', 'DENIED']);

export const MISSING_W9_WARNING = 'proxy: vendors tracked for 1099 with no tax id on file';

const filled = (text: string | null | undefined): boolean => typeof text === 'string' && text.trim().length > 0;

export function isOpenBill(bill: Bill): boolean {
  return bill.archived !== true && bill.paymentStatus !== 'PAID';
}

/** An electronic payment path: on the BILL network, a bank account on file, or an enrolled virtual card. */
export function hasElectronicPayment(vendor: Vendor): boolean {
  const payment = vendor.paymentInformation;
  const bankAccount = payment?.bankAccount;
  return (
    vendor.networkStatus === 'CONNECTED' ||
    (bankAccount !== null && bankAccount !== undefined && Object.keys(bankAccount).length > 0) ||
    payment?.virtualCard?.status === 'ENROLLED'
  );
}

export function meetsRequirement(vendor: Vendor, requirement: OnboardingRequirement): boolean {
  switch (requirement) {
    case 'bank_account':
      return hasElectronicPayment(vendor);
    case 'tax_id':
      return filled(vendor.additionalInfo?.taxId);
    case 'address':
      return filled(vendor.address?.line1) && (filled(vendor.address?.city) || filled(vendor.address?.zipOrPostalCode));
    case 'email':
      return filled(vendor.email);
  }
}

export function isOnboarded(vendor: Vendor, requires: readonly OnboardingRequirement[]): boolean {
  return requires.every((requirement) => meetsRequirement(vendor, requirement));
}

/** The W-9 proxy: tracked for 1099 but no tax id on file. */
export function lacksTaxIdFor1099(vendor: Vendor): boolean {
  return vendor.additionalInfo?.track1099 === true && !filled(vendor.additionalInfo?.taxId);
}

export interface VendorTally {
  notOnboarded: number;
  /** Ids of active vendors tracked for 1099 without a tax id. */
  lackingTaxId: Set<string>;
}

export function tallyVendors(tally: VendorTally, vendors: readonly Vendor[], requires: readonly OnboardingRequirement[]): void {
  for (const vendor of vendors) {
    if (vendor.archived === true) continue;
    if (!isOnboarded(vendor, requires)) tally.notOnboarded += 1;
    if (lacksTaxIdFor1099(vendor)) tally.lackingTaxId.add(vendor.id);
  }
}

export interface BillTally {
  pendingCount: number;
  /** Integer cents, so summing many amounts never drifts. */
  pendingCents: number;
  missingW9Bills: number;
  unrecognisedStatuses: Map<string, number>;
}

export function newBillTally(): BillTally {
  return { pendingCount: 0, pendingCents: 0, missingW9Bills: 0, unrecognisedStatuses: new Map() };
}

export function tallyBills(tally: BillTally, bills: readonly Bill[], vendorsLackingTaxId: ReadonlySet<string>): void {
  for (const bill of bills) {
    if (!isOpenBill(bill)) continue;
    if (vendorsLackingTaxId.has(bill.vendorId)) tally.missingW9Bills += 1;
    const status = bill.approvalStatus;
    if (status && PENDING_APPROVAL_STATUSES.has(status)) {
      tally.pendingCount += 1;
      tally.pendingCents += Math.round(bill.amount * 100);
    } else if (status && !SETTLED_APPROVAL_STATUSES.has(status)) {
      tally.unrecognisedStatuses.set(status, (tally.unrecognisedStatuses.get(status) ?? 0) + 1);
    }
  }
}

function approvalWarnings(tally: BillTally): string[] {
  return [...tally.unrecognisedStatuses].map(
    ([status, count]) =>
      `approvalStatus "${status}" on ${count} open bill${count === 1 ? '' : 's'} is not recognised; not counted as pending`,
  );
}

function withWarnings(value: CollectedValue, warnings: string[]): CollectedValue {
  return warnings.length > 0 ? { ...value, warnings } : value;
}

export function valueFor(
  metricId: string,
  kind: BillQueryKind,
  day: LocalDay,
  tallies: { bills?: BillTally; vendors?: VendorTally },
): CollectedValue {
  const bills = tallies.bills ?? newBillTally();
  switch (kind) {
    case 'bills_pending_approval':
      return withWarnings({ metricId, day, value: bills.pendingCount }, approvalWarnings(bills));
    case 'bills_pending_amount':
      return withWarnings({ metricId, day, value: bills.pendingCents / 100 }, approvalWarnings(bills));
    case 'vendors_not_onboarded':
      return { metricId, day, value: tallies.vendors?.notOnboarded ?? 0 };
    case 'bills_missing_w9':
      return { metricId, day, value: bills.missingW9Bills, warnings: [MISSING_W9_WARNING] };
  }
}
