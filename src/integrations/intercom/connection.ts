import type { SourceConnection } from '../source-connection.js';

/** Connected with an access token (the region, if not the US, is INTERCOM_BASE_URL). */
export const intercomConnection: SourceConnection = {
  configured: (env) => Boolean(env.INTERCOM_ACCESS_TOKEN?.trim()),
};
