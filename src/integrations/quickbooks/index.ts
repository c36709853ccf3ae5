import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { quickbooksConnection } from './connection.js';
import { QuickBooksApi, SOURCE_ID, type QuickBooksDeps } from './client.js';
import { collectQuickBooks, lateQuickBooksChanges, NOT_CONFIGURED } from './collect.js';
import { quickbooksQuerySchema, quickbooksSettingsSchema, type QuickBooksQuery, type QuickBooksSettings } from './schemas.js';
import { credentialsFrom } from './credentials.js';

export { CHUNK_DAYS } from './collect.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_REFRESH_TOKEN and QBO_REALM_ID, and that QBO_BASE_URL matches their environment (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * QuickBooks Online: revenue, expenses and profit margin per day, from the profit and loss report summarised by day
 * (`summarize_column_by=Days`, a documented value), one request per month of the range. Late changes (a back-dated
 * or deleted entry) are found through change data capture (late.ts).
 */
export function createQuickBooksSource(deps: QuickBooksDeps = {}): Source {
  return defineSource<QuickBooksSettings, QuickBooksQuery>({
    id: SOURCE_ID,
    name: 'QuickBooks Online',
    envVars: ['QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'QBO_REFRESH_TOKEN', 'QBO_REALM_ID', 'QBO_BASE_URL', 'QBO_TOKEN_URL'],
    settingsSchema: quickbooksSettingsSchema,
    querySchema: quickbooksQuerySchema,
    ...quickbooksConnection,
    collect: (ctx, request) => collectQuickBooks(ctx, request, deps),
    lateChanges: (ctx, request) => lateQuickBooksChanges(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const api = new QuickBooksApi(ctx, credentials, ctx.settings, deps);
        await api.authenticate();
        return { ok: true, detail: `authenticated; company "${await api.companyName()}"` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const quickbooksSource = createQuickBooksSource();
