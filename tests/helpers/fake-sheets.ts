import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { colLetter, jwtGrantProblem, parseA1, trim, type Cell } from './google-fakes.js';

/**
 * A stateful loopback fake of the Google Sheets API v4 and of Google's OAuth token endpoint. Bodies follow the
 * v4 discovery document (Spreadsheet, ValueRange, BatchUpdateValuesResponse, AppendValuesResponse,
 * BatchUpdateSpreadsheetResponse, and the `{ error: { code, message, status } }` error shape); see
 * tests/sheets/fixtures/_sources.json. The token endpoint checks the JWT grant's RS256 signature against the test's
 * public key, its issuer, scope and audience, and issues random bearer tokens that the API then requires.
 */

interface Sheet {
  sheetId: number;
  title: string;
  rows: Cell[][];
}

export interface FakeSheets {
  url: string;
  tokenUrl: string;
  spreadsheetId: string;
  /** The tab's rows, header included, trailing empty cells trimmed. */
  tab(title: string): Cell[][] | undefined;
  titles(): string[];
  /** Issued bearer tokens, oldest first. */
  tokens: string[];
  /** Requests by method name: spreadsheets.get, values.get, values.batchUpdate, values.append, batchUpdate, token. */
  calls: Record<string, number>;
  /** The next `count` API calls answer `status` (e.g. 429 with Retry-After, or 500). */
  failNext(count: number, status: number, headers?: Record<string, string>, only?: string): void;
  /** Makes every token issued so far invalid (401), as when Google expires or revokes them. */
  revokeTokens(): void;
  setTab(title: string, rows: Cell[][]): void;
  close(): Promise<void>;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function googleError(res: ServerResponse, code: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify({ error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } }));
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSheets(opts: { publicKeyPem: string; clientEmail: string }): Promise<FakeSheets> {
  const spreadsheetId = '1FakeSheetIdForScorecardTests_abc';
  const sheets: Sheet[] = [{ sheetId: 0, title: 'Sheet1', rows: [] }];
  let nextSheetId = 1001;
  const tokens: string[] = [];
  const valid = new Set<string>();
  const calls: Record<string, number> = {};
  let faults: { left: number; status: number; headers: Record<string, string>; only?: string } = { left: 0, status: 500, headers: {} };
  const find = (title: string) => sheets.find((s) => s.title === title);
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };

  function writeRange(
    range: string,
    values: Cell[][],
  ): { updatedRange: string; updatedRows: number; updatedColumns: number; updatedCells: number } {
    const a1 = parseA1(range);
    const sheet = find(a1.title);
    if (!sheet) throw Object.assign(new Error(`Unable to parse range: ${range}`), { status: 400 });
    values.forEach((row, i) => {
      sheet.rows[a1.row0 + i] ??= [];
      const target = sheet.rows[a1.row0 + i]!;
      row.forEach((cell, j) => {
        while (target.length < a1.col0 + j) target.push('');
        target[a1.col0 + j] = cell;
      });
    });
    for (let i = 0; i < sheet.rows.length; i++) sheet.rows[i] ??= [];
    const width = Math.max(0, ...values.map((r) => r.length));
    return {
      updatedRange: `'${sheet.title}'!${colLetter(a1.col0)}${a1.row0 + 1}:${colLetter(a1.col0 + width - 1)}${a1.row0 + values.length}`,
      updatedRows: values.length,
      updatedColumns: width,
      updatedCells: values.reduce((n, r) => n + r.length, 0),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/token') return token(req, res);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !valid.has(auth.slice(7)))
      return googleError(
        res,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    const rest = url.pathname.slice(`/v4/spreadsheets/${spreadsheetId}`.length);
    const name =
      rest === ''
        ? 'spreadsheets.get'
        : rest === ':batchUpdate'
          ? 'batchUpdate'
          : rest === '/values:batchUpdate'
            ? 'values.batchUpdate'
            : rest.endsWith(':append')
              ? 'values.append'
              : 'values.get';
    if (faults.left > 0 && (faults.only === undefined || faults.only === name)) {
      faults.left--;
      return googleError(
        res,
        faults.status,
        faults.status === 429
          ? "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'"
          : 'Internal error encountered.',
        faults.headers,
      );
    }
    const prefix = `/v4/spreadsheets/${spreadsheetId}`;
    if (!url.pathname.startsWith(prefix)) return googleError(res, 404, 'Requested entity was not found.');
    try {
      if (req.method === 'GET' && rest === '') {
        count('spreadsheets.get');
        return json(res, {
          spreadsheetId,
          properties: { title: 'Scorecard mirror' },
          sheets: sheets.map((s, index) => ({
            properties: {
              sheetId: s.sheetId,
              title: s.title,
              index,
              sheetType: 'GRID',
              gridProperties: { rowCount: Math.max(1000, s.rows.length), columnCount: 26 },
            },
          })),
        });
      }
      if (req.method === 'POST' && rest === ':batchUpdate') {
        count('batchUpdate');
        return json(res, { spreadsheetId, replies: batchUpdate(JSON.parse(await bodyOf(req)).requests) });
      }
      if (req.method === 'POST' && rest === '/values:batchUpdate') {
        count('values.batchUpdate');
        const body = JSON.parse(await bodyOf(req)) as { valueInputOption?: string; data: { range: string; values: Cell[][] }[] };
        if (body.valueInputOption !== 'RAW' && body.valueInputOption !== 'USER_ENTERED')
          return googleError(res, 400, 'Invalid valueInputOption');
        const responses = body.data.map((d) => ({ spreadsheetId, ...writeRange(d.range, d.values) }));
        return json(res, {
          spreadsheetId,
          totalUpdatedRows: responses.reduce((n, r) => n + r.updatedRows, 0),
          totalUpdatedColumns: Math.max(0, ...responses.map((r) => r.updatedColumns)),
          totalUpdatedCells: responses.reduce((n, r) => n + r.updatedCells, 0),
          totalUpdatedSheets: new Set(body.data.map((d) => parseA1(d.range).title)).size,
          responses,
        });
      }
      const values = /^\/values\/([^:]+)(:append)?$/.exec(rest);
      if (values) {
        const range = decodeURIComponent(values[1]!);
        const a1 = parseA1(range);
        const sheet = find(a1.title);
        if (!sheet) return googleError(res, 400, `Unable to parse range: ${range}`);
        if (req.method === 'GET' && !values[2]) {
          count('values.get');
          const last = a1.col1 ?? 25;
          const rows = trim(
            sheet.rows.slice(a1.row0, a1.row1 === undefined ? undefined : a1.row1 + 1).map((r) => r.slice(a1.col0, last + 1)),
          );
          return json(res, {
            range: `'${sheet.title}'!${colLetter(a1.col0)}${a1.row0 + 1}:${colLetter(last)}${Math.max(a1.row0 + 1, sheet.rows.length)}`,
            majorDimension: 'ROWS',
            ...(rows.length > 0 ? { values: rows } : {}),
          });
        }
        if (req.method === 'POST' && values[2]) {
          count('values.append');
          if (url.searchParams.get('valueInputOption') === null)
            return googleError(res, 400, "'valueInputOption' is required but not specified");
          const body = JSON.parse(await bodyOf(req)) as { values: Cell[][] };
          const used = trim(sheet.rows).length;
          const tableRange =
            used > 0 ? `'${sheet.title}'!A1:${colLetter(Math.max(0, ...sheet.rows.map((r) => r.length)) - 1)}${used}` : undefined;
          const updates = writeRange(`'${sheet.title}'!A${used + 1}`, body.values);
          return json(res, { spreadsheetId, ...(tableRange ? { tableRange } : {}), updates: { spreadsheetId, ...updates } });
        }
      }
      return googleError(res, 404, 'Requested entity was not found.');
    } catch (error) {
      return googleError(res, (error as { status?: number }).status ?? 400, (error as Error).message);
    }
  }

  type Request = {
    addSheet?: { properties: { title: string } };
    deleteDimension?: { range: { sheetId: number; dimension: string; startIndex: number; endIndex: number } };
  };
  function batchUpdate(requests: Request[]): unknown[] {
    // All or nothing, like the real API: validate every request first.
    for (const r of requests) {
      if (r.addSheet && find(r.addSheet.properties.title))
        throw Object.assign(
          new Error(
            `Invalid requests[0].addSheet: A sheet with the name "${r.addSheet.properties.title}" already exists. Please enter another name.`,
          ),
          { status: 400 },
        );
      if (r.deleteDimension) {
        const sheet = sheets.find((s) => s.sheetId === r.deleteDimension!.range.sheetId);
        const { startIndex, endIndex, dimension } = r.deleteDimension.range;
        if (!sheet || dimension !== 'ROWS' || startIndex < 0 || endIndex <= startIndex)
          throw Object.assign(new Error('Invalid deleteDimension request'), { status: 400 });
      }
      if (!r.addSheet && !r.deleteDimension) throw Object.assign(new Error('Invalid request: unsupported kind'), { status: 400 });
    }
    return requests.map((r) => {
      if (r.addSheet) {
        const sheet = { sheetId: nextSheetId++, title: r.addSheet.properties.title, rows: [] };
        sheets.push(sheet);
        return {
          addSheet: {
            properties: {
              sheetId: sheet.sheetId,
              title: sheet.title,
              index: sheets.length - 1,
              sheetType: 'GRID',
              gridProperties: { rowCount: 1000, columnCount: 26 },
            },
          },
        };
      }
      const { sheetId, startIndex, endIndex } = r.deleteDimension!.range;
      sheets.find((s) => s.sheetId === sheetId)!.rows.splice(startIndex, endIndex - startIndex);
      return {};
    });
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    count('token');
    const form = new URLSearchParams(await bodyOf(req));
    const refuse = (description: string) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: description }));
    };
    const problem = jwtGrantProblem(form, opts);
    if (problem) return refuse(problem);
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    tokens.push(accessToken);
    valid.add(accessToken);
    json(res, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => googleError(res, 500, error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tokenUrl: `http://127.0.0.1:${port}/token`,
    spreadsheetId,
    tab: (title) => {
      const sheet = find(title);
      return sheet ? trim(sheet.rows) : undefined;
    },
    titles: () => sheets.map((s) => s.title),
    tokens,
    calls,
    failNext(count, status, headers = {}, only) {
      faults = { left: count, status, headers, ...(only ? { only } : {}) };
    },
    revokeTokens: () => valid.clear(),
    setTab(title, rows) {
      const existing = find(title);
      if (existing) existing.rows = rows.map((r) => [...r]);
      else sheets.push({ sheetId: nextSheetId++, title, rows: rows.map((r) => [...r]) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
