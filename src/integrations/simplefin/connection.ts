import type { SourceConnection } from '../source-connection.js';
import { ACCESS_URL_VAR } from './credentials.js';

/** Connected once an access URL is set; whether it parses is the refresh's concern (it says why, as a config error). */
export const simplefinConnection: SourceConnection = {
  configured: (env) => Boolean(env[ACCESS_URL_VAR]?.trim()),
};
