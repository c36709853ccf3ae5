import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { parseEntryMode, readEntryState, renderEntryConfirmation, ENTRY_BLOCK, type EntryModalMode } from '../../views/entry-modal.js';
import type { EntryOutcome } from '../../answer/types.js';
import type { BotDeps } from '../../deps.js';
import { publishHome } from '../../home.js';
import { confirmedEntryOf } from '../../answer/entry-writer.js';
import { errorMessage } from '../../../errors.js';

/**
 * The entry modal's submission. Checks and the write happen before the ack (milliseconds, on the entry thread in
 * production), so a problem comes back inline on its field and "closed" means "saved"; the confirmation DM follows.
 */
export function logEntrySubmission(deps: BotDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const mode = parseEntryMode(view.private_metadata);
    const { logger } = deps.runtime;
    const email = deps.learntEmails.get(userId);
    const outcome = await deps.entries.submit({
      userId,
      viewId: view.id,
      mode,
      state: readEntryState(view.state.values),
      inputBlockIds: view.blocks.flatMap((block) => (block.type === 'input' && block.block_id ? [block.block_id] : [])),
      nowIso: deps.now().toISOString(),
      ...(email ? { email } : {}),
    });
    if (outcome.ok === 'failed') {
      // Only a store failure is blamed on the database; anything else is our bug, said as such.
      logger.error({ err: outcome.error, database: outcome.database }, 'saving a manual entry failed');
      await ack({
        response_action: 'errors',
        errors: {
          [ENTRY_BLOCK.value]: outcome.database
            ? 'Not saved: the scorecard database did not answer. Please try again.'
            : 'Not saved: something went wrong on our side. Please try again, or tell a scorecard admin.',
        },
      });
      return;
    }
    if (!outcome.ok) {
      await ack({ response_action: 'errors', errors: outcome.errors });
      return;
    }
    await ack();
    // Like `/metric`, the listener ends at the ack; the confirmation is tracked apart (`deps.track`; see metric.ts).
    void deps.track(confirmEntry(deps, client, userId, mode, outcome));
  };
}

/** After the ack: an edit refreshes the Home tab, a new entry gets its confirmation DM (with Undo). */
async function confirmEntry(
  deps: BotDeps,
  client: WebClient,
  userId: string,
  mode: EntryModalMode,
  outcome: Extract<EntryOutcome, { ok: true }>,
): Promise<void> {
  const { config, logger } = deps.runtime;
  try {
    if (mode.kind === 'edit') await publishHome(deps, client, userId);
    else if (outcome.created) {
      const entry = confirmedEntryOf(config, outcome.entry);
      // From the Home thread in production: two Web API calls per entry stay off the thread that acks.
      if (entry) await deps.homes.sendDirectMessage(client, userId, renderEntryConfirmation(entry, config.defaults.undo_minutes));
    }
  } catch (error) {
    logger.warn({ err: errorMessage(error) }, 'entry saved, but the confirmation could not be sent');
  }
}
