/**
 * Autotask bodies for the fixture week Thu 2026-10-29 … Wed 2026-11-04 in America/Chicago, which contains the end
 * of DST: Sun 2026-11-01 runs from 05:00Z (00:00 CDT, UTC−5) to 06:00Z on 11-02 (00:00 CST, UTC−6) — 25 hours.
 *
 * Shapes: ZoneInformationResultModel and FieldInformationResultModel exactly as the vendor swagger spells them
 * (PascalCase); query pages as live tenants answer (camelCase `items` + `pageDetails`, per the research notes).
 */

export const API_HOST = 'https://webservices14.autotask.net';
export const API_ROOT = '/ATServicesRest';
export const QUEUE_ID = 29683378;
export const TECH_ID = 29682885;
export const TECH_EMAIL_ID = 29682901;

export const zoneInformation = {
  ZoneName: 'America West 2',
  Url: `${API_HOST}${API_ROOT}/`,
  WebUrl: 'https://ww14.autotask.net/',
  CI: 7,
};

export const ticketFields = {
  Fields: [
    { Name: 'id', DataType: 'long', IsPickList: false, PicklistValues: null },
    {
      Name: 'queueID',
      DataType: 'integer',
      Length: 0,
      IsRequired: false,
      IsReadOnly: false,
      IsQueryable: true,
      IsReference: false,
      ReferenceEntityType: '',
      IsPickList: true,
      PicklistValues: [
        { Value: '8', Label: 'Client Portal', IsDefaultValue: false, SortOrder: 0, parentValue: '', IsActive: true, IsSystem: true },
        {
          Value: String(QUEUE_ID),
          Label: 'Level I Support',
          IsDefaultValue: false,
          SortOrder: 1,
          parentValue: '',
          IsActive: true,
          IsSystem: false,
        },
      ],
      PicklistParentValueField: '',
    },
  ],
};

export function page<T>(items: T[], nextPageUrl: string | null = null) {
  return { items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl } };
}

/**
 * Tickets opened (createDate → local day):
 *   2026-10-29T05:00:00Z  Oct 29 00:00 CDT → 10-29 (first instant of the range)
 *   2026-10-30T16:20:00Z  Oct 30 11:20 CDT → 10-30
 *   2026-11-01T05:30:00Z  Nov 1 00:30 CDT  → 11-01
 *   2026-11-01T06:30:00Z  Nov 1 01:30 CDT  → 11-01 (first 01:30)
 *   2026-11-01T07:30:00Z  Nov 1 01:30 CST  → 11-01 (second 01:30)
 *   2026-11-02T05:30:00Z  Nov 1 23:30 CST  → 11-01 (a fixed UTC−5 offset would wrongly say 11-02 00:30)
 *   2026-11-02T06:00:00Z  Nov 2 00:00 CST  → 11-02
 *   2026-11-04T15:00:00Z  Nov 4 09:00 CST  → 11-04
 *   2026-11-05T05:59:59Z  Nov 4 23:59:59   → 11-04 (last second of the range)
 * Per day: 10-29 1 · 10-30 1 · 10-31 0 · 11-01 4 · 11-02 1 · 11-03 0 · 11-04 2 (9 in all).
 */
const opened = [
  '2026-10-29T05:00:00Z',
  '2026-10-30T16:20:00Z',
  '2026-11-01T05:30:00Z',
  '2026-11-01T06:30:00Z',
  '2026-11-01T07:30:00Z',
  '2026-11-02T05:30:00Z',
  '2026-11-02T06:00:00Z',
  '2026-11-04T15:00:00Z',
  '2026-11-05T05:59:59.000',
].map((createDate, i) => ({ id: 9100 + i, createDate }));
export const openedPage1 = opened.slice(0, 5);
export const openedPage2 = opened.slice(5);
export const OPENED_NEXT_PAGE = `${API_HOST}${API_ROOT}/V1.0/Tickets/query/next?paging=eyJwYWdlIjoyfQ%3D%3D`;

/**
 * Tickets closed (status 5), bucketed by completedDate's local day; "same" = created that same local day:
 *   A create 10-29T14:00Z (10-29 09:00)  done 10-29T20:00Z (10-29 15:00)  → 10-29 same
 *   B create 10-29T23:00Z (10-29 18:00)  done 10-30T03:00Z (10-29 22:00)  → 10-29 same (UTC dates differ)
 *   C create 10-30T04:30Z (10-29 23:30)  done 10-30T05:30Z (10-30 00:30)  → 10-30 not same (across local midnight)
 *   D create 11-01T05:10Z (11-01 00:10 CDT) done 11-02T05:50Z (11-01 23:50 CST) → 11-01 same (25-hour day)
 *   E create 10-31T15:00Z (10-31)         done 11-01T17:00Z (11-01 11:00 CST) → 11-01 not same
 *   F create 11-02T06:10Z (11-02 00:10)   done 11-02T22:00Z (11-02 16:00)  → 11-02 same
 *   G create 11-03T15:00Z (11-03)         done 11-04T15:00Z (11-04)        → 11-04 not same
 *   H create 11-04T16:00Z (11-04)         done 11-04T18:00Z (11-04)        → 11-04 same
 * Closed per day: 10-29 2 · 10-30 1 · 10-31 0 · 11-01 2 · 11-02 1 · 11-03 0 · 11-04 2 (8 in all).
 * Same-day rate: 10-29 2/2 = 100 % · 10-30 0/1 = 0 % · 11-01 1/2 = 50 % · 11-02 1/1 = 100 % · 11-04 1/2 = 50 %;
 * 10-31 and 11-03 0/0. Week: 5/8 = 62.5 %.
 */
export const closed = [
  ['2026-10-29T14:00:00Z', '2026-10-29T20:00:00Z'],
  ['2026-10-29T23:00:00Z', '2026-10-30T03:00:00Z'],
  ['2026-10-30T04:30:00Z', '2026-10-30T05:30:00Z'],
  ['2026-11-01T05:10:00Z', '2026-11-02T05:50:00Z'],
  ['2026-10-31T15:00:00Z', '2026-11-01T17:00:00Z'],
  ['2026-11-02T06:10:00Z', '2026-11-02T22:00:00Z'],
  ['2026-11-03T15:00:00Z', '2026-11-04T15:00:00Z'],
  ['2026-11-04T16:00:00Z', '2026-11-04T18:00:00Z'],
].map(([createDate, completedDate], i) => ({ id: 9200 + i, createDate, completedDate, status: 5 }));

/**
 * Time entries. dateWorked is a date sent as midnight UTC (read as that calendar date); one entry carries a real
 * instant (2026-11-02T05:30Z = 11-01 23:30 CST → 11-01). Entries outside the week come back from the widened
 * query window and are dropped.
 *   10-28  3.00 billable                  → outside, dropped
 *   10-29  6.00 billable, 2.00 non-billable → 6 / 8     = 75 %
 *   11-01  1.50 billable, 0.50 non-billable (the 23:30 CST instant) → 1.5 / 2 = 75 %
 *   11-02  7.25 billable, 0.75 non-billable → 7.25 / 8  = 90.625 %
 *   11-04  4.00 billable, 4.00 non-billable → 4 / 8     = 50 %
 *   11-05  8.00 billable                  → outside, dropped
 * Week: billable 6 + 1.5 + 7.25 + 4 = 18.75 h of 8 + 2 + 8 + 8 = 26 h → 72.1154 %.
 */
const entries: [string, number, boolean, number][] = [
  ['2026-10-28T00:00:00Z', 3, false, TECH_ID],
  ['2026-10-29T00:00:00Z', 6, false, TECH_ID],
  ['2026-10-29T00:00:00Z', 2, true, TECH_EMAIL_ID],
  ['2026-11-01T00:00:00Z', 1.5, false, TECH_ID],
  ['2026-11-02T05:30:00Z', 0.5, true, TECH_EMAIL_ID],
  ['2026-11-02T00:00:00Z', 7.25, false, TECH_ID],
  ['2026-11-02T00:00:00Z', 0.75, true, TECH_ID],
  ['2026-11-04T00:00:00Z', 4, false, TECH_EMAIL_ID],
  ['2026-11-04T00:00:00Z', 4, true, TECH_ID],
  ['2026-11-05T00:00:00Z', 8, false, TECH_ID],
];
export const timeEntries = entries.map(([dateWorked, hoursWorked, isNonBillable, resourceID], i) => ({
  id: 9300 + i,
  resourceID,
  dateWorked,
  hoursWorked,
  isNonBillable,
}));
export const TIME_NEXT_PAGE = `${API_HOST}${API_ROOT}/V1.0/TimeEntries/query/next?paging=eyJwYWdlIjoyfQ%3D%3D`;

export const resources = [{ id: TECH_EMAIL_ID, email: 'Tech.Two@example.com' }];

/**
 * BillingCodes `entityInformation/fields`, in the swagger's FieldInformationResultModel shape (as `ticketFields`):
 * the `useType` and `billingCodeType` picklists. The labels are the tenant's; the source finds time off by the label
 * "Time Off", never by number, so the values here are invented and deliberately not small integers.
 */
const pick = (Value: string, Label: string, SortOrder: number) => ({
  Value,
  Label,
  IsDefaultValue: false,
  SortOrder,
  parentValue: '',
  IsActive: true,
  IsSystem: true,
});
const picklistField = (Name: string, values: ReturnType<typeof pick>[]) => ({
  Name,
  DataType: 'integer',
  Length: 0,
  IsRequired: false,
  IsReadOnly: true,
  IsQueryable: true,
  IsReference: false,
  ReferenceEntityType: '',
  IsPickList: true,
  PicklistValues: values,
  PicklistParentValueField: '',
});
export const TIME_OFF_USE_TYPE = 17;
export const billingCodeFields = {
  Fields: [
    { Name: 'id', DataType: 'long', IsPickList: false, PicklistValues: null },
    picklistField('useType', [
      pick('11', 'Work Type', 0),
      pick('12', 'Material', 1),
      pick('13', 'Internal Time', 2),
      pick(String(TIME_OFF_USE_TYPE), 'Time Off', 3),
    ]),
    picklistField('billingCodeType', [pick('0', 'Normal', 0), pick('1', 'Internal', 1)]),
  ],
};
/** The tenant's time-off codes (Holiday, Vacation, Sick), as a BillingCodes query answers `IncludeFields: ['id']`. */
export const HOLIDAY_CODE = 29682833;
export const VACATION_CODE = 29682834;
export const timeOffCodes = [{ id: HOLIDAY_CODE }, { id: VACATION_CODE }, { id: 29682835 }];
