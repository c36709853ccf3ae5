import { describe, expect, it } from 'vitest';
import {
  hasElectronicPayment,
  isOnboarded,
  newBillTally,
  tallyBills,
  tallyVendors,
  valueFor,
  type VendorTally,
} from '../../../src/integrations/bill/map.js';
import { billSchema, vendorSchema, type Vendor } from '../../../src/integrations/bill/schemas.js';
import { vendorsPage1, vendorsPage2 } from './fixtures.js';

const vendors = [...vendorsPage1, ...vendorsPage2].map((raw) => vendorSchema.parse(raw));
const bare: Vendor = { id: 'v0' };

describe('vendor onboarding', () => {
  it('finds an electronic payment path via network, bank account or enrolled virtual card', () => {
    expect(vendors.map(hasElectronicPayment)).toEqual([false, true, true, true]);
    expect(hasElectronicPayment({ ...bare, paymentInformation: { bankAccount: {} } })).toBe(false);
    expect(hasElectronicPayment({ ...bare, paymentInformation: { bankAccount: null, virtualCard: { status: 'UNKNOWN' } } })).toBe(false);
  });

  it('checks each configured requirement', () => {
    const complete: Vendor = {
      id: 'v9',
      email: 'ap@example.com',
      networkStatus: 'CONNECTED',
      address: { line1: '1 Main St', city: 'Austin' },
      additionalInfo: { taxId: '12-3456789' },
    };
    const all = ['bank_account', 'tax_id', 'address', 'email'] as const;
    expect(isOnboarded(complete, all)).toBe(true);
    expect(isOnboarded({ ...complete, email: ' ' }, all)).toBe(false);
    expect(isOnboarded({ ...complete, address: { line1: '1 Main St' } }, all)).toBe(false);
    expect(isOnboarded({ ...complete, additionalInfo: { taxId: null } }, all)).toBe(false);
    expect(isOnboarded({ ...complete, networkStatus: 'NOT_CONNECTED' }, ['email', 'address'])).toBe(true);
  });

  it('skips archived vendors', () => {
    const tally: VendorTally = { notOnboarded: 0, lackingTaxId: new Set() };
    tallyVendors(
      tally,
      [
        { ...bare, archived: true, additionalInfo: { track1099: true } },
        { ...bare, id: 'v1' },
      ],
      ['bank_account'],
    );
    expect(tally.notOnboarded).toBe(1);
    expect([...tally.lackingTaxId]).toEqual([]);
  });
});

describe('bills', () => {
  it('sums pending amounts in cents without floating drift, accepting string amounts', () => {
    const tally = newBillTally();
    const bills = [0.1, 0.2, '0.30', 1234.56, 0.07].map((amount, i) =>
      billSchema.parse({ id: `b${i}`, vendorId: 'v', amount, paymentStatus: 'UNPAID', approvalStatus: i % 2 ? 'APPROVING' : 'ASSIGNED' }),
    );
    tallyBills(tally, bills, new Set());
    expect(valueFor('amount', 'bills_pending_amount', '2026-11-01', { bills: tally })).toEqual({
      metricId: 'amount',
      day: '2026-11-01',
      value: 1235.23,
    });
  });

  it('counts the W-9 proxy on open bills only and always warns that it is a proxy', () => {
    const tally = newBillTally();
    const bills = [
      { id: 'b1', vendorId: 'v1', amount: 5, paymentStatus: 'UNPAID' },
      { id: 'b2', vendorId: 'v1', amount: 5, paymentStatus: 'PAID' },
      { id: 'b3', vendorId: 'v1', amount: 5, paymentStatus: 'UNPAID', archived: true },
      { id: 'b4', vendorId: 'v2', amount: 5, paymentStatus: 'UNPAID' },
    ].map((raw) => billSchema.parse(raw));
    tallyBills(tally, bills, new Set(['v1']));
    expect(valueFor('w9', 'bills_missing_w9', '2026-11-01', { bills: tally })).toEqual({
      metricId: 'w9',
      day: '2026-11-01',
      value: 1,
      warnings: ['proxy: vendors tracked for 1099 with no tax id on file'],
    });
  });
});
