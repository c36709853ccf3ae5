import { z } from 'zod';

/**
 * SimpleFIN `GET /accounts` bodies, v1 (`errors: string[]`) and v2 (`errlist: {code, msg|message, …}[]`).
 * Unknown fields are dropped (the protocol adds fields over time); balances are decimal strings.
 */

const decimalString = z
  .string()
  .trim()
  .regex(/^[-+]?\d+(\.\d+)?$/, 'a decimal number as a string');
const balance = z.union([decimalString, z.number().finite().transform(String)]);

export const accountSchema = z.object({
  id: z.string().min(1),
  name: z.string().default(''),
  /** ISO 4217 code, or a URL for a custom currency. */
  currency: z.string().min(1),
  balance,
  'available-balance': balance.optional(),
  /** Epoch seconds of the balance. */
  'balance-date': z.number().optional(),
  conn_id: z.string().optional(),
  conn_name: z.string().optional(),
  org: z.object({ name: z.string().optional(), domain: z.string().optional() }).optional(),
});

export const errlistItemSchema = z.object({
  code: z.string().default('gen.'),
  // The v2 error table says `msg`, its quickstart sample says `message`: accept both.
  msg: z.string().optional(),
  message: z.string().optional(),
  conn_id: z.string().optional(),
  account_id: z.string().optional(),
});

export const connectionSchema = z.object({
  conn_id: z.string(),
  name: z.string().optional(),
  org_name: z.string().optional(),
});

export const accountsResponseSchema = z.object({
  errors: z.array(z.string()).optional(),
  errlist: z.array(errlistItemSchema).optional(),
  connections: z.array(connectionSchema).optional(),
  accounts: z.array(accountSchema),
});

export type SimplefinAccount = z.output<typeof accountSchema>;
export type AccountsResponse = z.output<typeof accountsResponseSchema>;

/** `sources.simplefin` in scorecard.yml. */
export const simplefinSettingsSchema = z
  .object({
    /** Account ids summed as cash; without it every non-negative account in `currency` is summed (with a warning). */
    accounts: z.array(z.string().min(1)).min(1).optional(),
    currency: z.string().min(1).default('USD'),
    /** The Bridge expects at most 24 calls a day and disables tokens that overuse it; keep well below. */
    max_calls_per_day: z.number().int().min(1).max(20).default(4),
    /**
     * A summed balance whose `balance-date` is older than this marks the cash figure stale (a warning names the
     * account and its age). One day, as the cash metric's catalog text says.
     */
    stale_balance_hours: z.number().positive().default(24),
  })
  .strict();

export type SimplefinSettings = z.output<typeof simplefinSettingsSchema>;

/** `metrics.<id>.query` for a SimpleFIN metric: `{}` (the configured accounts) or its own account ids. */
export const simplefinQuerySchema = z
  .object({
    accounts: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

export type SimplefinQuery = z.output<typeof simplefinQuerySchema>;

/** The balance snapshot kept in sync_state for quota reuse: balances only, never credentials. */
export const cachedBalancesSchema = z.object({
  fetchedAt: z.string(),
  accounts: z.array(
    z.object({ id: z.string(), name: z.string(), currency: z.string(), balance: z.string(), balanceDate: z.number().optional() }),
  ),
  warnings: z.array(z.string()),
});

export type CachedBalances = z.output<typeof cachedBalancesSchema>;
