import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeMetricRef, renderNotice } from '../../../slack/metric.js';
import type { BotDeps } from '../../deps.js';
import { answerMetricId } from '../../answer/metric-reply.js';
import { replyPrivately, tellFailure } from '../../reply.js';

/** A "did you mean" button: answers that metric in place of the suggestions. */
export function pickMetricAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const target = { respond, client, userId, channelId };
    try {
      const ref = decodeMetricRef(action.value);
      const message = ref
        ? await answerMetricId(deps, ref.metric, ref.period, { userId, channelId })
        : renderNotice('That suggestion is out of date; ask again with /metric.');
      await replyPrivately(target, message, { replaceOriginal: true });
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'reading that metric', error);
    }
  };
}
