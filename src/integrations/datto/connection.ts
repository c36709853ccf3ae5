import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with either API's keys: BCDR (backups) or RMM (patches). */
export const dattoConnection: SourceConnection = {
  configured: (env) => {
    const credentials = credentialsFrom(env);
    return credentials.bcdr !== undefined || credentials.rmm !== undefined;
  },
  // Backups need the BCDR keys, patches the RMM keys: a half-configured Datto shows the other half "not connected".
  // The query is read as written (no zod here); the config loader has already checked it against the query schema.
  configuredFor: (env, metric) => {
    const credentials = credentialsFrom(env);
    return metric.query.kind === 'failed_backups' ? credentials.bcdr !== undefined : credentials.rmm !== undefined;
  },
};
