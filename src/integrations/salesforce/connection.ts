import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with the login URL and a connected app's client id and secret. */
export const salesforceConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
