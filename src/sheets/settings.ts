import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Env } from '../integrations/source.js';

/**
 * The Sheets mirror's environment: `GOOGLE_SERVICE_ACCOUNT_JSON` (the key file's JSON, or a path to it) and
 * `SHEETS_SPREADSHEET_ID`; `SHEETS_BASE_URL` and `GOOGLE_TOKEN_URL` point it at a test server. Messages name what is
 * wrong and never print the key.
 */

export const DEFAULT_SHEETS_BASE_URL = 'https://sheets.googleapis.com';
export const DEFAULT_GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

export interface SheetsSettings {
  spreadsheetId: string;
  baseUrl: string;
  tokenUrl: string;
  account: ServiceAccount;
}

export class SheetsSetupError extends Error {
  override readonly name = 'SheetsSetupError';
}

const serviceAccountSchema = z.object({
  type: z.literal('service_account').optional(),
  client_email: z.string().min(3),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
});

const value = (env: Env, name: string) => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function readAccount(raw: string): ServiceAccount {
  let text = raw;
  if (!raw.startsWith('{')) {
    try {
      text = readFileSync(raw, 'utf8');
    } catch (error) {
      throw new SheetsSetupError(
        `GOOGLE_SERVICE_ACCOUNT_JSON: cannot read the key file ${raw} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SheetsSetupError(
      'GOOGLE_SERVICE_ACCOUNT_JSON is not valid JSON — paste the whole key file, or give its path (content not shown)',
    );
  }
  const result = serviceAccountSchema.safeParse(parsed);
  if (!result.success) {
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
    throw new SheetsSetupError(`GOOGLE_SERVICE_ACCOUNT_JSON is not a service account key: check ${fields} (content not shown)`);
  }
  return result.data;
}

/** Null when the mirror is not set up (neither variable set); throws SheetsSetupError when it is half or wrongly set up. */
export function sheetsSettings(env: Env): SheetsSettings | null {
  const json = value(env, 'GOOGLE_SERVICE_ACCOUNT_JSON');
  const spreadsheetId = value(env, 'SHEETS_SPREADSHEET_ID');
  if (!json && !spreadsheetId) return null;
  if (!json)
    throw new SheetsSetupError(
      'SHEETS_SPREADSHEET_ID is set but GOOGLE_SERVICE_ACCOUNT_JSON is not (the service account key JSON, or its path)',
    );
  if (!spreadsheetId)
    throw new SheetsSetupError(
      'GOOGLE_SERVICE_ACCOUNT_JSON is set but SHEETS_SPREADSHEET_ID is not (the id in the sheet URL, between /d/ and /edit)',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(spreadsheetId))
    throw new SheetsSetupError(`SHEETS_SPREADSHEET_ID must be the id from the sheet URL — found "${spreadsheetId}"`);
  return {
    spreadsheetId,
    baseUrl: value(env, 'SHEETS_BASE_URL') ?? DEFAULT_SHEETS_BASE_URL,
    tokenUrl: value(env, 'GOOGLE_TOKEN_URL') ?? DEFAULT_GOOGLE_TOKEN_URL,
    account: readAccount(json),
  };
}
