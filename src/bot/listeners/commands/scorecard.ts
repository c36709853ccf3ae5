import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { replyPrivately, tellFailure } from '../../reply.js';
import { webEnabled, webLinkMessage } from '../../web.js';

/**
 * `/scorecard [period]`: the weekly scorecard, only to the caller (`/scorecard web`: a sign-in link to the pages).
 * Rendered and posted to the response_url by `deps.scorecards` (its own thread in production), so a whole-scorecard
 * render, and its blocks' JSON, never hold up acks or `/metric` answers. An ephemeral has no thread, so the parent
 * and its continuations go out as consecutive ephemerals, in order; any the response_url did not take follow here.
 */
export function scorecardCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const askedAt = Date.now();
    await ack();
    const target = { respond, client, userId: command.user_id, channelId: command.channel_id };
    try {
      if (command.text.trim().toLowerCase() === 'web') {
        await replyPrivately(target, webLinkMessage(deps, command.user_id));
        return;
      }
      const email = deps.learntEmails.get(command.user_id);
      const rest = await deps.scorecards.render({
        text: command.text ?? '',
        userId: command.user_id,
        channelId: command.channel_id,
        nowIso: deps.now().toISOString(),
        web: webEnabled(deps),
        responseUrl: command.response_url,
        askedAt,
        ...(email ? { email } : {}),
      });
      for (const message of rest) await replyPrivately({ ...target, respond: undefined }, { text: message.text, blocks: message.blocks });
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'building the scorecard', error);
    }
  };
}
