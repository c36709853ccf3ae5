import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { tellFailure } from '../../reply.js';

/**
 * `/metric <query>`: ack at once (nothing awaited before it), then the answerer reads the store and posts the
 * answer to the response_url — on its own thread in production, so answers never hold up other acks.
 */
export function metricCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const started = performance.now();
    await ack();
    deps.metrics?.observeAck((performance.now() - started) / 1000);
    try {
      const email = deps.learntEmails.get(command.user_id);
      await deps.answerer.answer({
        text: command.text ?? '',
        userId: command.user_id,
        channelId: command.channel_id,
        responseUrl: command.response_url,
        nowIso: deps.now().toISOString(),
        ...(email ? { email } : {}),
      });
      deps.metrics?.observeAnswer((performance.now() - started) / 1000);
    } catch (error) {
      await tellFailure(
        { respond, client, userId: command.user_id, channelId: command.channel_id },
        deps.runtime.logger,
        'reading that metric',
        error,
      );
    }
  };
}
