import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { metricById } from '../../../metrics/catalog.js';
import { decodeMetricRef, renderNotice, renderShareRefused } from '../../../slack/metric.js';
import { canShareInChannel } from '../../access.js';
import type { BotDeps } from '../../deps.js';
import { resolveMetricAnswer } from '../../answer/metric-reply.js';
import { replyPrivately, tellFailure } from '../../reply.js';

/**
 * *Share in channel* on a /metric answer: the same answer, posted for everyone through the response_url.
 * A sensitive metric is only shared into a channel allowed to see it; elsewhere the sharer is told why not.
 */
export function shareMetricAction(deps: BotDeps) {
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
      const metric = ref ? metricById(deps.runtime.config, ref.metric) : undefined;
      if (!ref || !metric) {
        await replyPrivately(target, renderNotice('That answer is out of date; ask again with /metric.'));
        return;
      }
      if (!canShareInChannel(deps.runtime.config, metric, channelId)) {
        await replyPrivately(target, renderShareRefused(metric.name));
        return;
      }
      const { answered, message } = await resolveMetricAnswer(
        deps,
        metric,
        ref.period,
        { userId, channelId },
        { shareable: false, sharedBy: userId },
      );
      // A notice (a bad period in a forged or stale button, say) is for the sharer alone, never for the channel.
      if (!answered) {
        await replyPrivately(target, message);
        return;
      }
      if (!respond) {
        await replyPrivately(target, renderNotice('Sharing needs the original /metric answer; ask again with /metric.'));
        return;
      }
      await respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: message.blocks });
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'sharing that metric', error);
    }
  };
}
