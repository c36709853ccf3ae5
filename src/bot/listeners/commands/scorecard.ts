import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { replyPrivately, tellFailure } from '../../reply.js';
import { webEnabled, webLinkMessage } from '../../web.js';

/** A response_url takes five posts; a scorecard longer than that sends the rest as plain ephemerals. */
const RESPONSE_URL_USES = 5;

/**
 * `/scorecard [period]`: the weekly scorecard, only to the caller (`/scorecard web`: a sign-in link to the pages).
 * Rendered by `deps.scorecards` (its own thread in production), so a whole-scorecard render never holds up acks or
 * `/metric` answers. An ephemeral has no thread, so the parent and its continuations go out as consecutive
 * ephemerals, in order.
 */
export function scorecardCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const target = { respond, client, userId: command.user_id, channelId: command.channel_id };
    try {
      if (command.text.trim().toLowerCase() === 'web') {
        await replyPrivately(target, webLinkMessage(deps, command.user_id));
        return;
      }
      const email = deps.learntEmails.get(command.user_id);
      const messages = await deps.scorecards.render({
        text: command.text ?? '',
        userId: command.user_id,
        channelId: command.channel_id,
        nowIso: deps.now().toISOString(),
        web: webEnabled(deps),
        ...(email ? { email } : {}),
      });
      for (const [index, message] of messages.entries()) {
        const viaResponseUrl = index < RESPONSE_URL_USES ? target : { ...target, respond: undefined };
        await replyPrivately(viaResponseUrl, { text: message.text, blocks: message.blocks });
      }
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'building the scorecard', error);
    }
  };
}
