import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with a user name, secret and integration code. */
export const autotaskConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
