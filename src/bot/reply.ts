import { errorMessage } from '../errors.js';
import { ErrorCode, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { renderNotice, type BlockMessage } from '../slack/metric.js';

/**
 * Private answers. The response_url is preferred: it needs no channel membership and works in DMs and private
 * channels alike. Without one (App Home, modals) an ephemeral goes to the channel if known, else a DM.
 */
export interface ReplyTarget {
  respond?: RespondFn;
  client: WebClient;
  userId: string;
  channelId?: string;
}

export async function replyPrivately(target: ReplyTarget, message: BlockMessage, opts: { replaceOriginal?: boolean } = {}): Promise<void> {
  if (target.respond) {
    try {
      await target.respond({
        response_type: 'ephemeral',
        replace_original: opts.replaceOriginal ?? false,
        text: message.text,
        blocks: message.blocks,
      });
      return;
    } catch (error) {
      // Bolt 5's respond() throws RespondError when Slack refuses the response_url (used 5 times, or older than
      // 30 minutes): the answer still reaches the user, as an ephemeral or a DM below.
      if ((error as { code?: string }).code !== ErrorCode.RespondError) throw error;
    }
  }
  if (target.channelId) {
    await target.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, text: message.text, blocks: message.blocks });
    return;
  }
  await sendDirectMessage(target.client, target.userId, message);
}

/** A DM from the bot: conversations.open gives the app's DM channel with the user (im:write). */
export async function sendDirectMessage(
  client: WebClient,
  userId: string,
  message: BlockMessage,
): Promise<{ channel: string; ts: string | undefined }> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  return { channel, ts: posted.ts };
}

/** After the ack, a failure can only be told, not thrown: the user gets a short notice, the log gets the detail. */
export async function tellFailure(target: ReplyTarget, logger: Logger, what: string, error: unknown): Promise<void> {
  logger.error({ err: errorMessage(error) }, `${what} failed`);
  try {
    await replyPrivately(target, renderNotice(`Sorry — ${what} failed. Please try again in a minute.`));
  } catch (replyError) {
    logger.warn({ err: errorMessage(replyError) }, 'could not tell the user about the failure');
  }
}
