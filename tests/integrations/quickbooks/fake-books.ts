import nock from 'nock';
import { API_HOST, fault, REALM_ID, REPORT_PATH, TOKEN_HOST, TOKEN_PATH, tokenResponse } from './fixtures.js';

/**
 * A stateful QuickBooks Online company behind nock: transactions with a date, an amount and a side (income or
 * expense), and the four endpoints the source uses, each answering from that state:
 *
 * - the token endpoint rotates the refresh token on every grant and refuses a spent one (`invalid_grant`);
 * - `reports/ProfitAndLoss` summarised by Days, shaped as `noDataReport()` in fixtures.ts (the singer-io
 *   tap-quickbooks body recorded in fixtures/_sources.json), with Income, Expenses and NetIncome sections;
 * - `cdc`: Intuit's ChangeDataCapture sample object, `{ CDCResponse: [{ QueryResponse: [{ <Entity>: [...],
 *   startPosition, maxResults }] }], time }`, a deleted object as `{ status: "Deleted", domain: "QBO", Id,
 *   MetaData: { LastUpdatedTime } }` (Intuit's ChangeDataCapture reference, sample object);
 * - `query`: `{ QueryResponse: { <Entity>: [...], startPosition, maxResults }, time }` (Intuit's query reference),
 *   paging with STARTPOSITION / MAXRESULTS.
 *
 * Faults can be queued per endpoint (a 429 throttle or a 401 expired access token) to test the scan's failures.
 */

export interface FakeTxn {
  entity: string;
  id: string;
  txnDate: string;
  cents: number;
  side: 'income' | 'expense';
  updatedAt: string;
  createdAt: string;
  deleted?: boolean;
}

type Endpoint = 'cdc' | 'query' | 'report';

const money = (cents: number) => (cents === 0 ? '' : (cents / 100).toFixed(2));

export class FakeBooks {
  readonly txns = new Map<string, FakeTxn>();
  readonly requests: { endpoint: Endpoint | 'token'; query: Record<string, string> }[] = [];
  private refreshToken: string;
  private accessToken = '';
  private grants = 0;
  private readonly faults: Record<Endpoint, (429 | 401)[]> = { cdc: [], query: [], report: [] };

  constructor(seedRefreshToken: string) {
    this.refreshToken = seedRefreshToken;
  }

  add(entity: string, id: string, txnDate: string, amount: number, side: FakeTxn['side'], at: string): void {
    this.txns.set(`${entity}:${id}`, { entity, id, txnDate, cents: Math.round(amount * 100), side, updatedAt: at, createdAt: at });
  }

  edit(entity: string, id: string, at: string, change: Partial<Pick<FakeTxn, 'txnDate' | 'cents'>>): void {
    const txn = this.txns.get(`${entity}:${id}`)!;
    Object.assign(txn, change, { updatedAt: at });
  }

  remove(entity: string, id: string, at: string): void {
    Object.assign(this.txns.get(`${entity}:${id}`)!, { deleted: true, updatedAt: at });
  }

  /** The next calls to `endpoint` answer these statuses, in order, before the real answer. */
  failNext(endpoint: Endpoint, ...statuses: (429 | 401)[]): void {
    this.faults[endpoint].push(...statuses);
  }

  /** Expires the current access token: the next API call answers 401 until the source refreshes. */
  expireAccessToken(): void {
    this.accessToken = 'expired';
  }

  /** Income, expenses and net income per day, straight from the transactions: what every stored day must equal. */
  figures(day: string): { income: number; expense: number } {
    let income = 0;
    let expense = 0;
    for (const txn of this.txns.values()) {
      if (txn.deleted || txn.txnDate !== day) continue;
      if (txn.side === 'income') income += txn.cents;
      else expense += txn.cents;
    }
    return { income, expense };
  }

  start(): void {
    nock(TOKEN_HOST)
      .persist()
      .post(TOKEN_PATH)
      .reply((_uri, body) => {
        const spent = new URLSearchParams(String(body)).get('refresh_token');
        this.requests.push({ endpoint: 'token', query: {} });
        if (spent !== this.refreshToken) return [400, { error: 'invalid_grant' }];
        this.grants += 1;
        this.refreshToken = `AB1179708640${this.grants}rotatedRefreshToken`;
        this.accessToken = `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access-${this.grants}`;
        return [200, tokenResponse(this.accessToken, this.refreshToken)];
      });
    const api = nock(API_HOST).persist();
    const route = (path: string, endpoint: Endpoint, answer: (query: Record<string, string>) => unknown) =>
      api
        .get(path)
        .query(true)
        .reply(function (uri) {
          const query = Object.fromEntries(new URL(uri, API_HOST).searchParams);
          const self = this as unknown as { req: { headers: Record<string, string | undefined> } };
          return fake.answer(endpoint, query, self.req.headers.authorization, answer);
        });
    const fake = this;
    route(REPORT_PATH, 'report', (q) => this.report(q.start_date!, q.end_date!));
    route(`/v3/company/${REALM_ID}/cdc`, 'cdc', (q) => this.cdc(q.entities!.split(','), q.changedSince!));
    route(`/v3/company/${REALM_ID}/query`, 'query', (q) => this.query(q.query!));
  }

  private answer(
    endpoint: Endpoint,
    query: Record<string, string>,
    authorization: string | undefined,
    body: (query: Record<string, string>) => unknown,
  ): [number, unknown] {
    this.requests.push({ endpoint, query });
    const status = this.faults[endpoint].shift();
    if (status === 429)
      return [429, fault('message=ThrottleExceeded; errorCode=003001; statusCode=429', 'The request limit was reached.', '003001')];
    if (status === 401 || authorization !== `Bearer ${this.accessToken}`)
      return [401, fault('message=AuthenticationFailed; errorCode=003200; statusCode=401', 'Token expired', '3200', 'AUTHENTICATION')];
    return [200, body(query)];
  }

  private days(from: string, to: string): string[] {
    const out: string[] = [];
    for (let at = new Date(`${from}T00:00:00Z`); at.toISOString().slice(0, 10) <= to; at = new Date(at.getTime() + 86_400_000))
      out.push(at.toISOString().slice(0, 10));
    return out;
  }

  private report(from: string, to: string): unknown {
    const days = this.days(from, to);
    const perDay = days.map((day) => this.figures(day));
    const total = (pick: (f: { income: number; expense: number }) => number) => perDay.reduce((sum, f) => sum + pick(f), 0);
    const row = (label: string, values: number[], sum: number, blank = true) => ({
      ColData: [
        { value: label },
        ...values.map((v) => ({ value: blank ? money(v) : (v / 100).toFixed(2) })),
        { value: (sum / 100).toFixed(2) },
      ],
    });
    const section = (group: string, label: string, pick: (f: { income: number; expense: number }) => number) => ({
      Header: { ColData: [{ value: label }, ...days.map(() => ({ value: '' })), { value: '' }] },
      Summary: row(`Total ${label}`, perDay.map(pick), total(pick)),
      type: 'Section',
      group,
    });
    const net = (f: { income: number; expense: number }) => f.income - f.expense;
    return {
      Header: {
        Time: '2026-12-01T07:12:40-08:00',
        ReportName: 'ProfitAndLoss',
        ReportBasis: 'Accrual',
        StartPeriod: from,
        EndPeriod: to,
        SummarizeColumnsBy: 'Days',
        Currency: 'USD',
        Option: [
          { Name: 'AccountingStandard', Value: 'GAAP' },
          { Name: 'NoReportData', Value: 'false' },
        ],
      },
      Columns: {
        Column: [
          { ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] },
          ...days.map((day) => ({
            ColTitle: day,
            ColType: 'Money',
            MetaData: [
              { Name: 'StartDate', Value: day },
              { Name: 'EndDate', Value: day },
              { Name: 'ColKey', Value: day },
            ],
          })),
          { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
        ],
      },
      Rows: {
        Row: [
          section('Income', 'Income', (f) => f.income),
          section('Expenses', 'Expenses', (f) => f.expense),
          { Summary: row('Net Income', perDay.map(net), total(net), false), type: 'Section', group: 'NetIncome' },
        ],
      },
    };
  }

  private cdc(entities: string[], changedSince: string): unknown {
    const since = new Date(changedSince).getTime();
    const groups = entities.map((entity) => {
      const changed = [...this.txns.values()]
        .filter((txn) => txn.entity === entity && new Date(txn.updatedAt).getTime() >= since)
        // Intuit: deleted objects come after the active ones.
        .sort((a, b) => Number(a.deleted ?? false) - Number(b.deleted ?? false));
      const records = changed.map((txn) =>
        txn.deleted ? { status: 'Deleted', domain: 'QBO', Id: txn.id, MetaData: { LastUpdatedTime: txn.updatedAt } } : this.record(txn),
      );
      return records.length > 0 ? { [entity]: records, startPosition: 1, maxResults: records.length } : { startPosition: 1, maxResults: 0 };
    });
    return { CDCResponse: [{ QueryResponse: groups }], time: '2026-12-01T07:12:40.123-08:00' };
  }

  private query(text: string): unknown {
    const match = /^select Id, TxnDate from (\w+) where TxnDate >= '(\d{4}-\d{2}-\d{2})' STARTPOSITION (\d+) MAXRESULTS (\d+)$/.exec(text);
    if (!match) throw new Error(`unexpected query: ${text}`);
    const [, entity, from, start, max] = match;
    const all = [...this.txns.values()].filter((txn) => txn.entity === entity && !txn.deleted && txn.txnDate >= from!);
    const page = all.slice(Number(start) - 1, Number(start) - 1 + Number(max)).map((txn) => ({ Id: txn.id, TxnDate: txn.txnDate }));
    return {
      QueryResponse: page.length > 0 ? { [entity!]: page, startPosition: Number(start), maxResults: page.length } : {},
      time: '2026-12-01T07:12:40.123-08:00',
    };
  }

  private record(txn: FakeTxn): Record<string, unknown> {
    return {
      Id: txn.id,
      SyncToken: '1',
      domain: 'QBO',
      sparse: false,
      TxnDate: txn.txnDate,
      TotalAmt: txn.cents / 100,
      MetaData: { CreateTime: txn.createdAt, LastUpdatedTime: txn.updatedAt },
    };
  }
}
