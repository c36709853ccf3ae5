import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { billConnection } from './connection.js';
import { BillApi, SOURCE_ID, type BillDeps, type SessionCache } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectBill, NOT_CONFIGURED } from './collect.js';
import { billQuerySchema, billSettingsSchema, type BillQuery, type BillSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `sign-in failed: check BILL_USERNAME, BILL_PASSWORD, BILL_ORGANIZATION_ID and BILL_DEV_KEY, and that BILL_BASE_URL matches their environment (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * BILL (v3 API): bills pending approval (count and amount), vendors not onboarded, and the W-9 proxy.
 * All four are stocks, so a refresh yields one value, for today, when today is inside the requested range.
 */
export function createBillSource(deps: BillDeps = {}): Source {
  const sessions: SessionCache = new Map();
  return defineSource<BillSettings, BillQuery>({
    id: SOURCE_ID,
    name: 'BILL',
    envVars: ['BILL_USERNAME', 'BILL_PASSWORD', 'BILL_ORGANIZATION_ID', 'BILL_DEV_KEY', 'BILL_BASE_URL'],
    settingsSchema: billSettingsSchema,
    querySchema: billQuerySchema,
    ...billConnection,
    collect: (ctx, request) => collectBill(ctx, request, deps, sessions),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        await new BillApi(ctx, credentials, ctx.settings, deps, sessions).signIn();
        return { ok: true, detail: 'signed in; session established' };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const billSource = createBillSource();
