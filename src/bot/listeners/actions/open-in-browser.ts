import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { replyPrivately, tellFailure } from '../../reply.js';
import { webLinkMessage } from '../../web.js';

/** *Open in browser* (weekly post, /scorecard, /metric): a personal one-time link to the page, only to the presser. */
export function openInBrowserAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const target = { respond, client, userId, channelId: body.channel?.id ?? body.container?.channel_id };
    try {
      await replyPrivately(target, webLinkMessage(deps, userId, action.value));
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'making your sign-in link', error);
    }
  };
}
