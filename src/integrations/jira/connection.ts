import type { SourceConnection } from '../source-connection.js';
import { credentialsFrom } from './credentials.js';

/** Connected with the site URL, an email and an API token. */
export const jiraConnection: SourceConnection = {
  configured: (env) => credentialsFrom(env) !== undefined,
};
