import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with a service account key and a project id. */
export const bigqueryConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
