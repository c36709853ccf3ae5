import nock from 'nock';
import { billingCodeFields, TIME_OFF_USE_TYPE, timeOffCodes } from './fixtures.js';

/**
 * A stateful loopback Autotask: tickets and time entries held in memory, answered through `POST /v1.0/<entity>/query`
 * by evaluating the request's filter the way the REST API documents it (conditions ANDed; `or` groups with
 * `items`; ops eq, gte, gt, lt, lte, in), returning only `IncludeFields`. Bodies are shaped like the swagger's
 * QueryModel results (`items` + `pageDetails`) in the camelCase live tenants use. Tests change records between
 * refreshes, as an edit in Autotask would.
 */

export const FAKE_HOST = 'https://webservices5.autotask.net';
export const FAKE_BASE = `${FAKE_HOST}/ATServicesRest/`;

export type FakeRecord = Record<string, string | number | boolean | null>;

interface Condition {
  op: string;
  field?: string;
  value?: unknown;
  items?: Condition[];
}

interface QueryBody {
  MaxRecords?: number;
  IncludeFields?: string[];
  Filter: Condition[];
}

const isDateText = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value);
const instant = (text: string) => Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);

function comparable(value: unknown): unknown {
  return isDateText(value) ? instant(value) : value;
}

function fieldOf(record: FakeRecord, field: string): unknown {
  const key = Object.keys(record).find((name) => name.toLowerCase() === field.toLowerCase());
  return key === undefined ? null : record[key];
}

function matches(record: FakeRecord, condition: Condition): boolean {
  if (condition.op === 'or') return (condition.items ?? []).some((item) => matches(record, item));
  if (condition.op === 'and') return (condition.items ?? []).every((item) => matches(record, item));
  const actual = comparable(fieldOf(record, condition.field ?? ''));
  const wanted = comparable(condition.value);
  if (actual === null || actual === undefined) return condition.op === 'eq' && wanted === null;
  switch (condition.op) {
    case 'eq':
      return actual === wanted;
    case 'gte':
      return (actual as number) >= (wanted as number);
    case 'gt':
      return (actual as number) > (wanted as number);
    case 'lt':
      return (actual as number) < (wanted as number);
    case 'lte':
      return (actual as number) <= (wanted as number);
    case 'in':
      return Array.isArray(condition.value) && (condition.value as unknown[]).includes(actual);
    default:
      throw new Error(`fake Autotask: unsupported filter op ${condition.op}`);
  }
}

export class FakeAutotask {
  readonly tickets = new Map<number, FakeRecord>();
  readonly timeEntries = new Map<number, FakeRecord>();
  /** The tenant's time-off codes, of the use type `billingCodeFields` labels "Time Off". */
  readonly billingCodes = new Map<number, FakeRecord>(timeOffCodes.map(({ id }) => [id, { id, useType: TIME_OFF_USE_TYPE }]));
  /** Every query body received, for assertions on what a refresh asked. */
  readonly queries: { entity: string; body: QueryBody }[] = [];

  start(): void {
    nock(FAKE_HOST)
      .persist()
      .get(/\/ATServicesRest\/v1\.0\/BillingCodes\/entityInformation\/fields$/)
      .reply(200, billingCodeFields)
      .post(/\/ATServicesRest\/v1\.0\/(Tickets|TimeEntries|BillingCodes)\/query$/)
      .reply((uri, body) => {
        const entity = /v1\.0\/(\w+)\/query$/.exec(uri)![1]!;
        const query = body as QueryBody;
        this.queries.push({ entity, body: query });
        const records = entity === 'Tickets' ? this.tickets : entity === 'TimeEntries' ? this.timeEntries : this.billingCodes;
        const found = [...records.values()].filter((record) => query.Filter.every((condition) => matches(record, condition)));
        if (found.length > (query.MaxRecords ?? 500)) throw new Error('fake Autotask: paging is not simulated; keep the data small');
        const fields = query.IncludeFields;
        const items = found.map((record) => (fields ? Object.fromEntries(fields.map((field) => [field, fieldOf(record, field)])) : record));
        return [200, { items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } }];
      });
  }

  ticket(id: number, fields: FakeRecord): void {
    this.tickets.set(id, { id, ...fields });
  }

  /** An edit in Autotask: the fields change and the tracked modification time moves to `at`. */
  editTicket(id: number, at: string, fields: FakeRecord): void {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    this.tickets.set(id, { ...ticket, ...fields, lastTrackedModificationDateTime: at, lastActivityDate: at });
  }

  timeEntry(id: number, fields: FakeRecord): void {
    this.timeEntries.set(id, { id, ...fields });
  }
}
