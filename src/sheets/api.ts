import type { Logger } from 'pino';
import { z } from 'zod';
import { createHttpClient, type HttpClient, type HttpClientOptions, type HttpRequest } from '../integrations/http.js';
import { SourceError } from '../integrations/errors.js';
import { createTokenProvider, TokenError, type TokenProvider } from './auth.js';
import type { SheetsSettings } from './settings.js';

/**
 * The few Sheets API v4 calls the mirror makes, through the shared HTTP client (limiter, retries on 429/5xx with
 * Retry-After, zod-checked bodies, redaction). Sheets allows about 60 read and 60 write requests per minute per user;
 * reads take the `default` bucket and writes the `write` bucket, each at that rate. A 401 gets one fresh token and
 * one more try.
 */

export const SHEETS_LIMITS = {
  default: { max: 60, perMs: 60_000 },
  write: { max: 60, perMs: 60_000, exemptFromDefault: true },
} as const;

const sheetProperties = z.object({
  sheetId: z.number().int(),
  title: z.string(),
  index: z.number().int().optional(),
  gridProperties: z.object({ rowCount: z.number().int().optional(), columnCount: z.number().int().optional() }).optional(),
});
export type SheetProperties = z.output<typeof sheetProperties>;

const spreadsheetSchema = z.object({
  spreadsheetId: z.string(),
  properties: z.object({ title: z.string() }).optional(),
  sheets: z.array(z.object({ properties: sheetProperties })).default([]),
});

const cell = z.union([z.string(), z.number(), z.boolean()]);
const valueRangeSchema = z.object({
  range: z.string(),
  majorDimension: z.enum(['ROWS', 'COLUMNS']).optional(),
  values: z.array(z.array(cell)).default([]),
});

const updateValuesResponse = z.object({
  spreadsheetId: z.string(),
  updatedRange: z.string().optional(),
  updatedRows: z.number().int().optional(),
  updatedColumns: z.number().int().optional(),
  updatedCells: z.number().int().optional(),
});

const batchUpdateValuesSchema = z.object({
  spreadsheetId: z.string(),
  totalUpdatedRows: z.number().int().optional(),
  totalUpdatedCells: z.number().int().optional(),
  responses: z.array(updateValuesResponse).default([]),
});

const appendSchema = z.object({ spreadsheetId: z.string(), tableRange: z.string().optional(), updates: updateValuesResponse });

const batchUpdateSchema = z.object({
  spreadsheetId: z.string(),
  replies: z.array(z.object({ addSheet: z.object({ properties: sheetProperties }).optional() }).passthrough()).default([]),
});

export type Cell = z.output<typeof cell>;
export type SheetRequest =
  | { addSheet: { properties: { title: string; gridProperties?: { rowCount: number; columnCount: number; frozenRowCount?: number } } } }
  | { deleteDimension: { range: { sheetId: number; dimension: 'ROWS'; startIndex: number; endIndex: number } } };

export interface SheetsApiOptions {
  logger?: Logger;
  /** Test hooks for the shared client's backoff. */
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
  tokens?: TokenProvider;
}

export class SheetsApi {
  private readonly http: HttpClient;
  readonly tokens: TokenProvider;
  private readonly base: string;

  constructor(
    readonly settings: SheetsSettings,
    opts: SheetsApiOptions = {},
  ) {
    this.tokens = opts.tokens ?? createTokenProvider(settings);
    this.base = `/v4/spreadsheets/${encodeURIComponent(settings.spreadsheetId)}`;
    this.http = createHttpClient({
      source: 'sheets',
      baseURL: settings.baseUrl,
      limits: { ...SHEETS_LIMITS },
      maxConcurrency: 2,
      secrets: [settings.account.private_key],
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
  }

  /** Removes the key, every token issued and credential patterns from a text (errors, log lines). */
  redact(text: string): string {
    let out = this.http.redact(text);
    for (const token of this.tokens.issued) out = out.split(token).join('[REDACTED]');
    return out;
  }

  /** Sends with the current token; on 401 gets a new token once and tries again. */
  private async send<S extends z.ZodTypeAny>(req: HttpRequest, schema: S): Promise<z.output<S>> {
    const withToken = (token: string) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
    try {
      return await this.http.request(withToken(await this.token(false)), schema);
    } catch (error) {
      if (!(error instanceof SourceError) || error.status !== 401) throw error;
      return this.http.request(withToken(await this.token(true)), schema);
    }
  }

  private async token(fresh: boolean): Promise<string> {
    try {
      return fresh ? await this.tokens.refresh() : await this.tokens.token();
    } catch (error) {
      if (error instanceof TokenError)
        throw new SourceError(
          error.status === 429 ? 'rate_limited' : error.status && error.status < 500 ? 'auth' : 'unavailable',
          'sheets',
          error.message,
          error.status,
        );
      throw error;
    }
  }

  /** spreadsheets.get, tab properties only. */
  getSpreadsheet() {
    return this.send({ url: this.base, params: { fields: 'spreadsheetId,properties.title,sheets.properties' } }, spreadsheetSchema);
  }

  /** spreadsheets.values.get, raw cell values (numbers as numbers). */
  getValues(range: string) {
    return this.send(
      {
        url: `${this.base}/values/${encodeURIComponent(range)}`,
        params: { valueRenderOption: 'UNFORMATTED_VALUE', majorDimension: 'ROWS' },
      },
      valueRangeSchema,
    );
  }

  /** spreadsheets.values.batchUpdate: many ranges in one write request. */
  batchUpdateValues(data: { range: string; values: Cell[][] }[]) {
    return this.send(
      {
        method: 'POST',
        url: `${this.base}/values:batchUpdate`,
        bucket: 'write',
        data: { valueInputOption: 'RAW', data: data.map((d) => ({ ...d, majorDimension: 'ROWS' })) },
      },
      batchUpdateValuesSchema,
    );
  }

  /** spreadsheets.values.append: rows after the table in `range`. */
  appendValues(range: string, values: Cell[][]) {
    return this.send(
      {
        method: 'POST',
        url: `${this.base}/values/${encodeURIComponent(range)}:append`,
        params: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
        bucket: 'write',
        data: { range, majorDimension: 'ROWS', values },
      },
      appendSchema,
    );
  }

  /** spreadsheets.batchUpdate: structural requests (addSheet, deleteDimension), applied atomically. */
  batchUpdate(requests: SheetRequest[]) {
    return this.send({ method: 'POST', url: `${this.base}:batchUpdate`, bucket: 'write', data: { requests } }, batchUpdateSchema);
  }
}
