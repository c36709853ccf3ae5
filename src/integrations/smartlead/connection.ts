import type { SourceConnection } from '../source-connection.js';

/** Connected with an API key. */
export const smartleadConnection: SourceConnection = {
  configured: (env) => Boolean(env.SMARTLEAD_API_KEY?.trim()),
};
