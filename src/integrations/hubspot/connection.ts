import type { SourceConnection } from '../source-connection.js';
import { accessToken } from './credentials.js';

/** Connected with a private app's access token. */
export const hubspotConnection: SourceConnection = {
  configured: (env) => accessToken(env) !== undefined,
};
