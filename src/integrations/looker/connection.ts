import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with the instance URL and an API key (client id and secret). */
export const lookerConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
