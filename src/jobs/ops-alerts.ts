import type { WebClient } from '@slack/web-api';
import type { Config } from '../config/schema.js';

/**
 * Where source failure alerts and recovery messages go: the ops channel, when Slack and the channel are configured.
 * The refresh posts at most one alert per outage and one recovery; without a notifier it posts nothing.
 */
export function opsNotifier(config: Config, client: WebClient | null): ((text: string) => Promise<void>) | undefined {
  const channel = config.slack.channels.ops;
  if (!channel || !client) return undefined;
  return async (text) => {
    await client.chat.postMessage({ channel, text, unfurl_links: false });
  };
}
