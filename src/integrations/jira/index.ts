import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type LateChanges, type Source, type SourceRequest, type SourceRun } from '../source.js';
import { jiraConnection } from './connection.js';
import { createJiraApi, type JiraDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectJira, NOT_CONFIGURED } from './collect.js';
import { jiraLateChanges } from './late.js';
import { SOURCE_ID } from './map.js';
import { jiraQuerySchema, jiraSettingsSchema, type JiraQuery, type JiraSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check JIRA_EMAIL and JIRA_API_TOKEN, and that JIRA_BASE_URL is the site they belong to (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * Jira Cloud: bug stocks (open, critical) from the approximate count, and daily flows (created, resolved, reopened,
 * mean resolution days) from the enhanced JQL search, each metric one catalog JQL filter plus a measure.
 */
export function createJiraSource(deps: JiraDeps = {}): Source {
  return defineSource<JiraSettings, JiraQuery>({
    id: SOURCE_ID,
    name: 'Jira',
    envVars: ['JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_BASE_URL'],
    // The site URL is required here, not an override.
    credentials: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN'],
    settingsSchema: jiraSettingsSchema,
    querySchema: jiraQuerySchema,
    ...jiraConnection,
    collect: (ctx, request) => collectJira(ctx, request, deps),
    lateChanges: (ctx, request) => lateChangesFor(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const me = await createJiraApi(ctx, credentials, ctx.settings, deps).myself();
        return { ok: true, detail: `authenticated as ${me.displayName ?? me.accountId}` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const jiraSource = createJiraSource();

const NOTHING_LATE: LateChanges = { days: [], reasons: [], commit: async () => {} };

/** Only the flows have older days to correct: the stocks (`count_now`) are today's figures. */
function lateChangesFor(ctx: SourceRun<JiraSettings>, request: SourceRequest<JiraQuery>, deps: JiraDeps): Promise<LateChanges> {
  const credentials = credentialsFrom(ctx.env);
  const filters = [...new Set(request.metrics.filter((metric) => metric.query.measure !== 'count_now').map((metric) => metric.query.jql))];
  if (!credentials || filters.length === 0) return Promise.resolve(NOTHING_LATE);
  const api = createJiraApi(ctx, credentials, ctx.settings, deps);
  return jiraLateChanges(ctx, { api, timezone: ctx.config.org.timezone, window: { from: request.from, to: request.to }, filters });
}
