import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { entryModalFor, openEntryModal } from '../../entry-modal.js';

/** *Log activity* (weekly digest, App Home): opens the entry modal straight after the ack. */
export function logActivityAction(deps: BotDeps) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await openEntryModal(client, body.trigger_id, entryModalFor(deps, body.user.id), deps.runtime.logger);
  };
}
