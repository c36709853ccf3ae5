import { errorMessage } from '../../../errors.js';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseEntryMode, readEntryState, renderEntryConfirmation, ENTRY_BLOCK } from '../../views/entry-modal.js';
import type { BotDeps } from '../../deps.js';
import { submitEntry, type SubmitResult } from '../../entries.js';
import { publishHome } from '../../home.js';

/** better-sqlite3 throws SqliteError (code SQLITE_…); PostgreSQL drivers give five-character SQLSTATE codes. */
function isDatabaseError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'SqliteError' || (typeof code === 'string' && (code.startsWith('SQLITE_') || /^[0-9A-Z]{5}$/.test(code)));
}

/**
 * The entry modal's submission. Checks and the write happen before the ack (local SQLite, milliseconds), so a
 * problem comes back inline on its field and "closed" means "saved"; the confirmation DM follows.
 */
export function logEntrySubmission(deps: BotDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const mode = parseEntryMode(view.private_metadata);
    const { logger } = deps.runtime;
    let result: SubmitResult;
    try {
      const inputBlockIds = new Set(view.blocks.flatMap((block) => (block.type === 'input' && block.block_id ? [block.block_id] : [])));
      result = await submitEntry(deps, { userId, viewId: view.id, mode, state: readEntryState(view.state.values), inputBlockIds });
    } catch (error) {
      // Only a store failure is blamed on the database; anything else is our bug, said as such.
      const database = isDatabaseError(error);
      logger.error({ err: errorMessage(error), database }, 'saving a manual entry failed');
      await ack({
        response_action: 'errors',
        errors: {
          [ENTRY_BLOCK.value]: database
            ? 'Not saved: the scorecard database did not answer. Please try again.'
            : 'Not saved: something went wrong on our side. Please try again, or tell a scorecard admin.',
        },
      });
      return;
    }
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    try {
      if (mode.kind === 'edit') await publishHome(deps, client, userId);
      else if (result.created)
        // From the Home thread in production: two Web API calls per entry stay off the thread that acks.
        await deps.homes.sendDirectMessage(
          client,
          userId,
          renderEntryConfirmation(result.entry, deps.runtime.config.defaults.undo_minutes),
        );
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, 'entry saved, but the confirmation could not be sent');
    }
  };
}
