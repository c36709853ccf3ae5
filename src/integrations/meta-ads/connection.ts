import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with a token and a numeric ad account id (with or without `act_`). */
export const metaAdsConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
