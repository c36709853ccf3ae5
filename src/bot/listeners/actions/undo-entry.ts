import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderEntryUndone } from '../../views/entry-modal.js';
import { renderNotice } from '../../../slack/metric.js';
import type { BotDeps } from '../../deps.js';
import { undoEntry } from '../../entries.js';
import { replyPrivately, tellFailure } from '../../reply.js';

/** *Undo* on an entry confirmation: within the window the entry is marked deleted and the DM says so. */
export function undoEntryAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const target = { respond, client, userId, channelId };
    try {
      const result = await undoEntry(deps, Number(action.value), userId);
      if (!result.ok) {
        await replyPrivately(target, renderNotice(result.message));
        return;
      }
      const undone = renderEntryUndone(result.entry);
      const ts = body.container?.message_ts ?? body.message?.ts;
      if (channelId && ts) await client.chat.update({ channel: channelId, ts, text: undone.text, blocks: undone.blocks });
      else await replyPrivately(target, undone, { replaceOriginal: true });
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'undoing that entry', error);
    }
  };
}
