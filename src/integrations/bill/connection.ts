import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with a user name, password, organization id and developer key. */
export const billConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
