import type { SourceConnection } from '../source-connection.js';
import { zendeskCredentials } from './credentials.js';

/** Connected with a subdomain (or base URL) and either an email + API token or an OAuth token. */
export const zendeskConnection: SourceConnection = {
  configured: (env) => zendeskCredentials(env) !== undefined,
};
