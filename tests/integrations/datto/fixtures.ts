/**
 * Datto bodies. `assetExample` is specs/datto/examples/bcdr-device-serialNumber-asset.item.json verbatim; the BCDR
 * device list follows the `{ pagination, items }` example body of the portal docs (as copied in the DattoAPI
 * PowerShell module); RMM devices carry every property of the v2 OpenAPI `Device` schema.
 */

export const NOW = new Date('2026-11-05T15:00:00Z');
export const NOW_S = NOW.getTime() / 1000;
export const HOUR_S = 3600;

// ── BCDR ─────────────────────────────────────────────────────────────────────────────────────────────

export const BCDR_HOST = 'https://api.datto.com';
export const BCDR_ROOT = '/v1';

export const assetExample = {
  name: 'test-host',
  volume: '4b65219643aa4bc78e359928ead7fab5',
  localIp: '10.10.100.1',
  os: 'Windows 10',
  protectedVolumesCount: 5,
  unprotectedVolumesCount: 5,
  protectedVolumeNames: ['string'],
  unprotectedVolumeNames: ['string'],
  agentVersion: '2.5.0.0',
  isPaused: false,
  isArchived: false,
  latestOffsite: 1584817262,
  localSnapshots: 5,
  lastSnapshot: 1584817262,
  lastScreenshotAttempt: 1584817262,
  lastScreenshotAttemptStatus: true,
  lastScreenshotUrl: 'https://device.dattobackup.com/sirisReporting/image/latest/abcdefabcdefabcdef.png?cb=1234576',
  fqdn: 'test-host',
  backups: [
    {
      timestamp: '2020-04-29T14:01:03+00:00',
      backup: { status: 'string', errorMessage: 'string' },
      localVerification: { status: 'string', errors: [{ errorType: 'string', errorMessage: 'string' }] },
      advancedVerification: { screenshotVerification: { status: 'string', image: 'string' } },
    },
  ],
  type: 'string',
};

function backupAt(epochS: number, status: string, errorMessage: string | null = null) {
  return {
    timestamp: new Date(epochS * 1000).toISOString().replace('.000Z', '+00:00'),
    backup: { status, errorMessage },
    localVerification: { status: 'success', errors: [] },
    advancedVerification: { screenshotVerification: { status: 'success', image: '' } },
  };
}

/** The example asset with its name, snapshot time and state replaced; the latest backup succeeded unless given. */
export function asset(name: string, lastSnapshot: number, extra: Record<string, unknown> = {}) {
  return {
    ...assetExample,
    name,
    fqdn: name,
    type: 'agent',
    lastSnapshot,
    latestOffsite: lastSnapshot,
    lastScreenshotAttempt: lastSnapshot,
    backups: lastSnapshot > 0 ? [backupAt(lastSnapshot, 'success')] : [],
    ...extra,
  };
}

export function device(serialNumber: string, name: string) {
  return {
    serialNumber,
    name,
    model: 'S3B2000',
    lastSeenDate: '2026-11-05T14:55:12+00:00',
    clientCompanyName: 'Contoso Dental',
    hidden: false,
    servicePlan: 'Infinite Cloud Retention',
    registrationDate: '2023-02-14T00:00:00+00:00',
    servicePeriod: '2027-02-14T00:00:00+00:00',
    warrantyExpire: '2028-02-14T00:00:00+00:00',
    localStorageUsed: { size: 1.42, units: 'TB' },
    localStorageAvailable: { size: 2.1, units: 'TB' },
    offsiteStorageUsed: { size: 1.38, units: 'TB' },
    internalIP: '10.0.0.20',
    activeTickets: 0,
    resellerCompanyName: 'Example MSP',
    agentCount: 4,
    shareCount: 1,
    alertCount: 0,
    uptime: 1_209_600,
    remoteWebUrl: `https://device.dattobackup.com/${serialNumber}`,
  };
}

export function devicePage(page: number, totalPages: number, items: unknown[], count = items.length) {
  return { pagination: { page, perPage: 100, totalPages, count }, items };
}

export const SERIALS = ['A0B1C2D3E4F5', 'B0C1D2E3F4A5', 'C0D1E2F3A4B5'] as const;

/**
 * Over two device-list pages: at 48 h, `just-past` (48 h + 1 s), `failed-latest` (fresh, newest backup failed),
 * `never` (no snapshot) and `three-days` (72 h exactly) count: 4. At 72 h only `failed-latest` and `never`: 2.
 */
export const assetsBySerial: Record<string, unknown[]> = {
  [SERIALS[0]]: [
    asset('fresh', NOW_S - HOUR_S),
    asset('at-boundary', NOW_S - 48 * HOUR_S),
    asset('just-past', NOW_S - 48 * HOUR_S - 1),
    asset('paused', NOW_S - 400 * HOUR_S, { isPaused: true }),
  ],
  [SERIALS[1]]: [
    asset('archived', NOW_S - 900 * HOUR_S, { isArchived: true }),
    asset('failed-latest', NOW_S - 2 * HOUR_S, {
      backups: [backupAt(NOW_S - 2 * HOUR_S, 'success'), backupAt(NOW_S - HOUR_S, 'failure', 'VSS writer timed out')],
    }),
    asset('never', 0, { type: 'share' }),
  ],
  [SERIALS[2]]: [asset('three-days', NOW_S - 72 * HOUR_S)],
};

// ── RMM ──────────────────────────────────────────────────────────────────────────────────────────────

export const RMM_HOST = 'https://pinotage-api.centrastage.net';
export const DEVICES_PATH = '/api/v2/account/devices';

export function token(accessToken: string) {
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 359_999,
    scope: 'default',
    jti: 'f3b1c2d4-0000-4a5b-8c9d-0e1f2a3b4c5d',
  };
}

type PatchManagement = { patchStatus?: string; patchesApprovedPending?: number; patchesNotApproved?: number; patchesInstalled?: number };

export function rmmDevice(id: number, hostname: string, patchManagement: PatchManagement | undefined, extra: Record<string, unknown> = {}) {
  return {
    id,
    uid: `6c1f4a2e-${String(id).padStart(4, '0')}-4d8b-9a51-2f0c7e3b9d10`,
    siteId: 41,
    siteUid: '0d7c7c4e-7a1f-4c5e-9b0a-3f2d1e0c9b8a',
    siteName: 'Contoso Dental',
    deviceType: { category: 'Desktop', type: 'Desktop' },
    hostname,
    intIpAddress: '10.0.0.31',
    operatingSystem: 'Microsoft Windows 11 Pro 10.0.22631',
    lastLoggedInUser: 'CONTOSO\\reception',
    domain: 'CONTOSO',
    cagVersion: '4.4.2190.2190',
    displayVersion: '23H2',
    extIpAddress: '203.0.113.10',
    description: '',
    a64Bit: true,
    rebootRequired: false,
    online: true,
    suspended: false,
    deleted: false,
    lastSeen: '2026-11-05T14:58:00Z',
    lastReboot: '2026-11-01T06:12:00Z',
    lastAuditDate: '2026-11-05T03:00:00Z',
    creationDate: '2024-05-20T16:40:00Z',
    udf: { udf1: 'front desk' },
    snmpEnabled: false,
    deviceClass: 'device',
    portalUrl: `https://pinotage.centrastage.net/csm/search?qs=uid%3A${id}`,
    warrantyDate: '2027-05-20',
    antivirus: { antivirusProduct: 'Datto AV', antivirusStatus: 'RunningAndUpToDate' },
    ...(patchManagement ? { patchManagement } : {}),
    softwareStatus: 'Compliant',
    webRemoteUrl: `https://pinotage.centrastage.net/csm/remote/rto/${id}`,
    networkProbe: false,
    onboardedViaNetworkMonitor: false,
    ...extra,
  };
}

export function devicesPage(devices: unknown[], nextPageUrl: string | null, prevPageUrl: string | null = null, totalCount = 9) {
  return { pageDetails: { count: devices.length, totalCount, prevPageUrl, nextPageUrl }, devices };
}

/** With `more_than: 5`: d2 (6 pending), d4 (install error), d5 (reboot required), d9 (12 pending) count: 4. With 0: also d3: 5. */
export const rmmPage1 = [
  rmmDevice(1, 'd1', { patchStatus: 'FullyPatched', patchesApprovedPending: 0, patchesNotApproved: 3, patchesInstalled: 120 }),
  rmmDevice(2, 'd2', { patchStatus: 'ApprovedPending', patchesApprovedPending: 6, patchesNotApproved: 0, patchesInstalled: 98 }),
  rmmDevice(3, 'd3', { patchStatus: 'ApprovedPending', patchesApprovedPending: 5, patchesNotApproved: 1, patchesInstalled: 97 }),
  rmmDevice(4, 'd4', { patchStatus: 'InstallError', patchesApprovedPending: 0, patchesNotApproved: 0, patchesInstalled: 80 }),
  rmmDevice(5, 'd5', { patchStatus: 'RebootRequired', patchesApprovedPending: 0, patchesNotApproved: 0, patchesInstalled: 110 }),
  rmmDevice(
    6,
    'd6',
    { patchStatus: 'InstallError', patchesApprovedPending: 9, patchesNotApproved: 0, patchesInstalled: 10 },
    { deleted: true },
  ),
];
export const rmmPage2 = [
  rmmDevice(7, 'd7', { patchStatus: 'NoPolicy' }),
  rmmDevice(8, 'printer-2f', undefined, { deviceClass: 'printer', deviceType: { category: 'Printer', type: 'Printer' } }),
  rmmDevice(9, 'd9', { patchStatus: 'ApprovedPending', patchesApprovedPending: 12, patchesNotApproved: 2, patchesInstalled: 64 }),
];
export const PAGE_2_URL = `${RMM_HOST}${DEVICES_PATH}?max=250&page=1`;
