import { z } from 'zod';
import { rateLimitSettingsSchema } from '../http.js';

/**
 * QuickBooks Online bodies. Report shape per Intuit's ProfitAndLoss reference (Header / Columns.Column[] /
 * Rows.Row[] with `type`, `group`, `Header`, `Rows`, `Summary`, `ColData`); day columns carry
 * `MetaData: [{ Name: "StartDate" }, { Name: "EndDate" }, { Name: "ColKey" }]`. Token body per Intuit's OAuth 2.0
 * token endpoint (`access_token`, `refresh_token`, `expires_in`, `x_refresh_token_expires_in`, `token_type`).
 */

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
  x_refresh_token_expires_in: z.number().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

/** The reference spells option and metadata pairs `Name`/`Value` in examples and `name`/`value` in the table. */
const nameValueSchema = z
  .object({ Name: z.string().optional(), Value: z.string().optional(), name: z.string().optional(), value: z.string().optional() })
  .transform((pair) => ({ name: pair.Name ?? pair.name, value: pair.Value ?? pair.value }));

const colDataSchema = z.object({ value: z.string().optional(), id: z.string().optional() });
const cellsSchema = z.object({ ColData: z.array(colDataSchema) });

export interface ReportRow {
  type?: string;
  group?: string;
  Header?: { ColData: { value?: string }[] };
  Rows?: { Row?: ReportRow[] };
  Summary?: { ColData: { value?: string }[] };
  ColData?: { value?: string }[];
}

const reportRowSchema: z.ZodType<ReportRow> = z.lazy(() =>
  z.object({
    type: z.string().optional(),
    group: z.string().optional(),
    Header: cellsSchema.optional(),
    Rows: z.object({ Row: z.array(reportRowSchema).optional() }).optional(),
    Summary: cellsSchema.optional(),
    ColData: z.array(colDataSchema).optional(),
  }),
);

export const reportSchema = z.object({
  Header: z.object({
    ReportName: z.string().optional(),
    StartPeriod: z.string().optional(),
    EndPeriod: z.string().optional(),
    SummarizeColumnsBy: z.string().optional(),
    Currency: z.string().optional(),
    Option: z.array(nameValueSchema).optional(),
  }),
  Columns: z.object({
    Column: z.array(
      z.object({
        ColType: z.string().optional(),
        ColTitle: z.string().optional(),
        MetaData: z.array(nameValueSchema).optional(),
      }),
    ),
  }),
  Rows: z.object({ Row: z.array(reportRowSchema).optional() }).optional(),
});
export type ProfitAndLossReport = z.output<typeof reportSchema>;

export const companyInfoSchema = z.object({ CompanyInfo: z.object({ CompanyName: z.string() }) });

/** `{ Fault: { Error: [{ Message, Detail, code }], type } }`, Intuit's error envelope. */
export const faultSchema = z.object({
  Fault: z.object({
    Error: z.array(z.object({ Message: z.string().optional(), Detail: z.string().optional(), code: z.string().optional() })).min(1),
    type: z.string().optional(),
  }),
});

/** `{ error: "invalid_grant" | "invalid_client" | …, error_description? }` from the token endpoint. */
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** `sources.quickbooks` in scorecard.yml. */
export const quickbooksSettingsSchema = z
  .object({
    /** Report basis of the profit and loss figures; the catalog's definitions say accrual. */
    accounting_method: z.enum(['Accrual', 'Cash']).default('Accrual'),
    /** Overrides of the documented 500 requests per minute per company (bucket `default`). */
    rate_limit: rateLimitSettingsSchema
      .refine((limits) => Object.keys(limits).every((bucket) => bucket === 'default'), 'the only bucket is default')
      .optional(),
  })
  .strict();
export type QuickBooksSettings = z.output<typeof quickbooksSettingsSchema>;

export const quickbooksQuerySchema = z.discriminatedUnion('kind', [
  /** Summary of the `Income` section. */
  z.object({ kind: z.literal('revenue') }).strict(),
  /** Summaries of `COGS` + `Expenses` + `OtherExpenses`, where present. */
  z.object({ kind: z.literal('expenses') }).strict(),
  /** Ratio, percent: numerator `NetIncome`, denominator `Income`. */
  z.object({ kind: z.literal('profit_margin') }).strict(),
]);
export type QuickBooksQuery = z.output<typeof quickbooksQuerySchema>;
export type QuickBooksQueryKind = QuickBooksQuery['kind'];

/**
 * A transaction as change data capture and the query endpoint return it. Only what names its day is read: the
 * id, `TxnDate` (a calendar date in the books), and for CDC a deleted one's `status: "Deleted"` (which carries no
 * TxnDate, only Id and MetaData).
 */
export const transactionSchema = z.object({
  Id: z.string().min(1),
  TxnDate: z.string().optional(),
  status: z.string().optional(),
  MetaData: z.object({ LastUpdatedTime: z.string().optional() }).optional(),
});
export type Transaction = z.output<typeof transactionSchema>;

/**
 * `GET /cdc?entities=…&changedSince=…`: `{ CDCResponse: [{ QueryResponse: [{ <Entity>: [...], startPosition,
 * maxResults }, …] }], time }`, one QueryResponse per entity asked for (Intuit's ChangeDataCapture reference).
 */
export const cdcResponseSchema = z.object({
  CDCResponse: z.array(z.object({ QueryResponse: z.array(z.record(z.string(), z.unknown())).optional() })),
  time: z.string().optional(),
});

/** `GET /query?query=select …`: `{ QueryResponse: { <Entity>: [...], startPosition, maxResults }, time }`; empty pages omit the list. */
export const queryResponseSchema = z.object({ QueryResponse: z.record(z.string(), z.unknown()), time: z.string().optional() });
