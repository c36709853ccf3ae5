import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with an OAuth client, a refresh token and a realm (company) id. */
export const quickbooksConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
