import nock from 'nock';
import { LOGIN, queryPage, restError, tokenResponse } from './fixtures.js';

/**
 * A stateful fake org for the late-change tests: won opportunities and churn signals that can be edited or deleted
 * (each edit stamps `SystemModstamp`), answering the catalog's two by-day queries by their bound window and the
 * change scan (`queryAll … WHERE SystemModstamp > T`, deleted records included with `IsDeleted`) two records a
 * batch through `nextRecordsUrl`. Bodies are shaped like fixtures.ts (the query resource's example answer; provenance
 * in fixtures/_sources.json); a 429 answer is the REST error list.
 */

export interface FakeOpportunity {
  Id: string;
  CloseDate: string;
  Amount: number;
  IsWon: boolean;
  SystemModstamp: string;
  IsDeleted: boolean;
}
export interface FakeSignal {
  Id: string;
  CreatedDate: string;
  Severity__c: string;
  SystemModstamp: string;
  IsDeleted: boolean;
}

const API = '/services/data/v62.0';
const PAGE = 2;
const sfDatetime = (iso: string) => iso.replace(/Z$/, '').replace(/(\.\d{3})?$/, '.000+0000');

export class FakeLateOrg {
  readonly opportunities = new Map<string, FakeOpportunity>();
  readonly signals = new Map<string, FakeSignal>();
  /** Every queryAll call's path, for the scan's assertions. */
  readonly scans: { path: string; q: string | null }[] = [];
  /** Answer this many queryAll calls with a 429 first; `Infinity` keeps the scan failing. */
  rateLimitScans = 0;
  private readonly batches = new Map<string, unknown[]>();

  opportunity(o: Omit<FakeOpportunity, 'IsDeleted' | 'SystemModstamp'>, at = '2026-10-01T00:00:00Z'): void {
    this.opportunities.set(o.Id, { ...o, SystemModstamp: at, IsDeleted: false });
  }
  signal(s: Omit<FakeSignal, 'IsDeleted' | 'SystemModstamp'>, at = '2026-10-01T00:00:00Z'): void {
    this.signals.set(s.Id, { ...s, SystemModstamp: at, IsDeleted: false });
  }
  editOpportunity(id: string, at: string, fields: Partial<FakeOpportunity>): void {
    Object.assign(this.opportunities.get(id)!, fields, { SystemModstamp: at });
  }
  editSignal(id: string, at: string, fields: Partial<FakeSignal>): void {
    Object.assign(this.signals.get(id)!, fields, { SystemModstamp: at });
  }

  start(): void {
    nock(LOGIN)
      .persist()
      .post('/services/oauth2/token')
      .reply(200, tokenResponse('00D5g000004XyzA!access-late'))
      .get(() => true)
      .reply((uri) => this.answer(new URL(uri, LOGIN)));
  }

  private answer(url: URL): [number, unknown, Record<string, string>] {
    const headers = { 'Sforce-Limit-Info': 'api-usage=120/15000' };
    const q = url.searchParams.get('q') ?? '';
    if (url.pathname === `${API}/queryAll`) {
      this.scans.push({ path: url.pathname, q });
      if (this.rateLimitScans > 0) {
        this.rateLimitScans -= 1;
        return [429, restError('REQUEST_LIMIT_EXCEEDED', 'Too many requests'), headers];
      }
      return [200, this.scan(q), headers];
    }
    const batch = this.batches.get(url.pathname);
    if (batch) {
      this.scans.push({ path: url.pathname, q: null });
      return [200, this.page(batch, url.pathname), headers];
    }
    if (url.pathname === `${API}/query`) return [200, this.collect(q), headers];
    return [404, restError('NOT_FOUND', 'The requested resource does not exist'), headers];
  }

  private collect(q: string) {
    const won = /^SELECT CloseDate, Amount FROM Opportunity WHERE IsWon = true AND CloseDate >= (\S+) AND CloseDate <= (\S+)$/.exec(q);
    if (won) {
      const [, from, to] = won as unknown as [string, string, string];
      const rows = [...this.opportunities.values()].filter((o) => !o.IsDeleted && o.IsWon && o.CloseDate >= from && o.CloseDate <= to);
      return queryPage(rows.map((o) => record('Opportunity', o.Id, { CloseDate: o.CloseDate, Amount: o.Amount })));
    }
    const churn =
      /^SELECT CreatedDate FROM Churn_Signal__c WHERE Severity__c = 'High' AND CreatedDate >= (\S+) AND CreatedDate <= (\S+)$/.exec(q);
    if (churn) {
      const [from, to] = [Date.parse(churn[1]!), Date.parse(churn[2]!)];
      const rows = [...this.signals.values()].filter((s) => {
        const at = Date.parse(s.CreatedDate);
        return !s.IsDeleted && s.Severity__c === 'High' && at >= from && at <= to;
      });
      return queryPage(rows.map((s) => record('Churn_Signal__c', s.Id, { CreatedDate: sfDatetime(s.CreatedDate) })));
    }
    throw new Error(`unexpected query: ${q}`);
  }

  private scan(q: string) {
    const match = /^SELECT Id, IsDeleted, (\w+) FROM (\w+) WHERE SystemModstamp > (\S+)$/.exec(q);
    if (!match) throw new Error(`unexpected scan: ${q}`);
    const [, field, object, since] = match as unknown as [string, string, string, string];
    const changed = (modstamp: string) => Date.parse(modstamp) > Date.parse(since);
    const rows =
      object === 'Opportunity'
        ? [...this.opportunities.values()]
            .filter((o) => changed(o.SystemModstamp) && field === 'CloseDate')
            .map((o) => record('Opportunity', o.Id, { Id: o.Id, IsDeleted: o.IsDeleted, CloseDate: o.CloseDate }))
        : [...this.signals.values()]
            .filter((s) => changed(s.SystemModstamp) && field === 'CreatedDate')
            .map((s) => record('Churn_Signal__c', s.Id, { Id: s.Id, IsDeleted: s.IsDeleted, CreatedDate: sfDatetime(s.CreatedDate) }));
    return this.page(rows, `${API}/query/01gLATE${this.batches.size}`);
  }

  /** The first `PAGE` records; the rest kept behind a `nextRecordsUrl`, as the query resource batches them. */
  private page(rows: unknown[], path: string) {
    const rest = rows.slice(PAGE);
    if (rest.length === 0) return queryPage(rows, undefined, rows.length);
    const next = `${path}-${PAGE}`;
    this.batches.set(next, rest);
    return queryPage(rows.slice(0, PAGE), next, rows.length);
  }
}

const record = (type: string, id: string, fields: Record<string, unknown>) => ({
  attributes: { type, url: `${API}/sobjects/${type}/${id}` },
  ...fields,
});
