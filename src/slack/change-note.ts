import { clip, mrkdwn, packLines, type SlackMessage } from './blocks.js';

/** Room for the change lines in one reply; a flood of changes (a whole catalog restated) ends in "…and n more". */
const CHANGE_NOTE_TEXT = 9_000;

/**
 * The one thread reply posted when a digest is updated in place: what changed, one bullet per metric, and why when
 * the refresh knows (late changes found by a modification cursor: "2 tickets reopened").
 */
export function changeNoteMessage(title: string, changes: string[], why: readonly string[] = []): SlackMessage {
  const lines: string[] = [];
  let length = 0;
  for (const change of changes) {
    if (length + change.length + 3 > CHANGE_NOTE_TEXT) {
      lines.push(`…and ${changes.length - lines.length} more`);
      break;
    }
    lines.push(`• ${change}`);
    length += change.length + 3;
  }
  return {
    text: clip(`Updated ${title}: ${changes.join('; ')}${why.length > 0 ? ` (why: ${why.join('; ')})` : ''}`, 1_000),
    blocks: [
      { type: 'section', text: mrkdwn(`*Updated* — late numbers changed ${title} since it was posted:`) },
      ...packLines(lines, 3_000).map((text) => ({ type: 'section' as const, text: mrkdwn(text) })),
      ...(why.length > 0 ? [{ type: 'context' as const, elements: [mrkdwn(clip(`Why: ${why.join('; ')}`, 2_000))] }] : []),
    ],
  };
}
