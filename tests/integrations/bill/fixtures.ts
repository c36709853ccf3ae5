/**
 * BILL v3 bodies shaped exactly like the developer.bill.com samples in specs/billcom/examples: vendors as the
 * `vendor` object of webhook-vendor.created.json, bills as get-bills-id.with-approvers.json, errors as
 * error-BDC_1144.json; lists wrapped in `{ nextPage, prevPage, results }` (research notes, v3 list operations).
 */

export const BASE = 'https://gateway.stage.bill.com';
export const ROOT = '/connect/v3';

export function listPage<T>(results: T[], nextPage: string | null = null, prevPage: string | null = null) {
  return { nextPage, prevPage, results };
}

export function billError(code: string, message: string) {
  return [{ timestamp: '2026-12-25T00:00:00.000+00:00', code, severity: 'ERROR', category: 'DOWNSTREAM', message }];
}

export const loginResponse = (sessionId: string) => ({
  sessionId,
  organizationId: '00802DEVKGROHKDIY4zyx',
  userId: '00602NNWYXSZQYLTa41g',
  mfaTrusted: true,
});

function vendor(
  id: string,
  name: string,
  overrides: {
    networkStatus?: string;
    payByType?: string;
    bankAccount?: Record<string, unknown>;
    virtualCard?: string;
    taxId?: string | null;
    track1099?: boolean;
  },
) {
  const additionalInfo: Record<string, unknown> = {
    taxIdType: 'EIN',
    track1099: overrides.track1099 ?? false,
    leadTimeInDays: 10,
    combinePayments: true,
    companyName: name,
  };
  if (overrides.taxId !== null) additionalInfo.taxId = overrides.taxId ?? '9998887777';
  const paymentInformation: Record<string, unknown> = {
    payeeName: name,
    email: 'ap@example.com',
    payByType: overrides.payByType ?? 'CHECK',
    virtualCard: { status: overrides.virtualCard ?? 'UNKNOWN' },
  };
  if (overrides.bankAccount) paymentInformation.bankAccount = overrides.bankAccount;
  return {
    id,
    name,
    archived: false,
    email: 'ap@example.com',
    phone: '9876543210',
    networkStatus: overrides.networkStatus ?? 'NOT_CONNECTED',
    accountNumber: 987000654,
    address: { line1: '123 Main St', line2: 'Suite 200', city: 'San Jose', stateOrProvince: 'CA', zipOrPostalCode: '95002', country: 'US' },
    paymentInformation,
    additionalInfo,
    recurringPayments: false,
    billCurrency: 'USD',
    balance: { amount: 0 },
    autoPay: { enabled: false },
    createdTime: '2025-12-15T22:53:15.127+00:00',
    updatedTime: '2025-12-15T22:53:15.127+00:00',
  };
}

/**
 * V1 as the sample: NOT_CONNECTED, pays by CHECK, virtual card UNKNOWN, 1099 with tax id → not onboarded.
 * V2 CONNECTED, 1099 with an empty tax id                 → onboarded; lacks tax id.
 * V3 NOT_CONNECTED with a bank account, no 1099            → onboarded.
 * V4 NOT_CONNECTED, virtual card ENROLLED, 1099, no taxId  → onboarded; lacks tax id.
 * V5 CONNECTED_RPPS (a verified national vendor, a utility), pays by CHECK, no bank account → onboarded: BILL
 *    documents it as connected on the network, paid electronically.
 * Default definition (bank_account): 1 not onboarded (V1). Requiring bank_account + tax_id: V1, V2, V4 → 3.
 */
export const vendorsPage1 = [
  vendor('00902V1', 'Happy Music Supplies', { track1099: true }),
  vendor('00902V2', 'Connected Cables', { networkStatus: 'CONNECTED', track1099: true, taxId: '' }),
];
export const vendorsPage2 = [
  vendor('00902V3', 'Bank Bakers', { payByType: 'ACH', bankAccount: { nameOnAccount: 'Bank Bakers', accountNumber: '****6789' } }),
  vendor('00902V4', 'Card Carriers', { virtualCard: 'ENROLLED', track1099: true, taxId: null }),
  vendor('00902V5', 'National Power & Light', { networkStatus: 'CONNECTED_RPPS' }),
];

function bill(id: string, vendorId: string, amount: number, paymentStatus: string, approvalStatus: string) {
  return {
    id,
    archived: false,
    vendorId,
    amount,
    dueDate: '2026-12-31',
    invoice: { invoiceNumber: `INV-${id}`, invoiceDate: '2026-10-31' },
    billLineItems: [{ id: `${id}-li1`, amount }],
    paymentStatus,
    approvalStatus,
    createdTime: '2026-10-30T23:15:23.127+00:00',
    updatedTime: '2026-10-30T23:15:23.127+00:00',
    approvers: [
      { userId: '00602NNWYXSZQYLTa41g', status: 'WAITING', approverOrder: 0, statusChangedTime: '2026-10-30T23:15:23.127+00:00' },
    ],
  };
}

/**
 * Open (not PAID) bills, pending = approvalStatus ASSIGNED or APPROVING:
 *   B1 V1 1500.00 UNPAID ASSIGNED   → pending
 *   B2 V2  228.99 UNPAID APPROVING  → pending; V2 lacks a tax id → missing W-9
 *   B3 V4  100.10 UNPAID APPROVED   → missing W-9
 *   B4 V2   50.00 PAID   APPROVED   → not open: nothing
 *   B5 V3    0.20 UNPAID ASSIGNED   → pending
 *   B6 V4   75.50 UNPAID ESCALATED  → unrecognised status (warning); missing W-9
 *   B7 V2   10.00 UNPAID UNASSIGNED → missing W-9
 * Pending: 3 bills, 1500.00 + 228.99 + 0.20 = 1729.19. Missing W-9 (proxy): B2, B3, B6, B7 = 4.
 */
export const billsPage1 = [
  bill('00n02B1', '00902V1', 1500.0, 'UNPAID', 'ASSIGNED'),
  bill('00n02B2', '00902V2', 228.99, 'UNPAID', 'APPROVING'),
  bill('00n02B3', '00902V4', 100.1, 'UNPAID', 'APPROVED'),
  bill('00n02B4', '00902V2', 50.0, 'PAID', 'APPROVED'),
];
export const billsPage2 = [
  bill('00n02B5', '00902V3', 0.2, 'UNPAID', 'ASSIGNED'),
  bill('00n02B6', '00902V4', 75.5, 'UNPAID', 'ESCALATED'),
  bill('00n02B7', '00902V2', 10.0, 'UNPAID', 'UNASSIGNED'),
];
