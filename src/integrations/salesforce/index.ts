import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { credentialsFrom, SalesforceApi, type SalesforceDeps } from './client.js';
import { collectSalesforce, NOT_CONFIGURED } from './collect.js';
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
    configured: (env) => credentialsFrom(env) !== undefined,
    collect: (ctx, request) => collectSalesforce(ctx, request, deps),
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

export const salesforceSource = createSalesforceSource();
