import type { SourceConnection } from '../source-connection.js';
import { livechatCredentials } from './credentials.js';

/** Connected with an account id and a personal access token. */
export const livechatConnection: SourceConnection = {
  configured: (env) => livechatCredentials(env) !== undefined,
};
