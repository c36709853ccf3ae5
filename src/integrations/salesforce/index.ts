import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type LateChanges, type Source, type SourceRequest, type SourceRun } from '../source.js';
import { salesforceConnection } from './connection.js';
import { SalesforceApi, type SalesforceDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectSalesforce, NOT_CONFIGURED } from './collect.js';
import { salesforceLateChanges } from './late.js';
import { salesforceQuerySchema, salesforceSettingsSchema, type SalesforceQuery, type SalesforceSettings } from './schemas.js';
import { SOURCE_ID } from './soql.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET, that SALESFORCE_LOGIN_URL is the org's My Domain, and that the connected app allows the client credentials flow with a run-as user (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * Salesforce: each metric one SOQL query and a measure — a count or sum taken now (ARR, renewals due), or records
 * bucketed by a date field's local day (closed-won amount, churn signals).
 */
export function createSalesforceSource(deps: SalesforceDeps = {}): Source {
  return defineSource<SalesforceSettings, SalesforceQuery>({
    id: SOURCE_ID,
    name: 'Salesforce',
    envVars: ['SALESFORCE_LOGIN_URL', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_BASE_URL'],
    settingsSchema: salesforceSettingsSchema,
    querySchema: salesforceQuerySchema,
    ...salesforceConnection,
    collect: (ctx, request) => collectSalesforce(ctx, request, deps),
    lateChanges: (ctx, request) => lateChangesFor(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const { used, limit } = await new SalesforceApi(ctx, credentials, ctx.settings, deps).dailyApiRequests();
        return { ok: true, detail: `authenticated; ${used} of ${limit} daily API requests used` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

const NOTHING_LATE: LateChanges = { days: [], reasons: [], commit: async () => {} };

function lateChangesFor(
  ctx: SourceRun<SalesforceSettings>,
  request: SourceRequest<SalesforceQuery>,
  deps: SalesforceDeps,
): Promise<LateChanges> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials) return Promise.resolve(NOTHING_LATE);
  const api = new SalesforceApi(ctx, credentials, ctx.settings, deps);
  const window = { from: request.from, to: request.to };
  return salesforceLateChanges(ctx, { api, timezone: ctx.config.org.timezone, window, metrics: request.metrics });
}

export const salesforceSource = createSalesforceSource();
