import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with a developer token, an OAuth client and refresh token, and a numeric customer id. */
export const googleAdsConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
