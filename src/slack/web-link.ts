import type { Button } from '@slack/types';
import type { SlackMessage } from './blocks.js';
import { mrkdwn, plain } from './blocks.js';

/**
 * *Open in browser*: a button whose value is the page to open. Pressing it asks the bot for a personal one-time
 * sign-in link (the post itself is shared, so it cannot carry anyone's link); the link comes back only to the presser.
 */
export const OPEN_IN_BROWSER_ACTION = 'open_in_browser';

export function openInBrowserButton(path: string): Button {
  return { type: 'button', action_id: OPEN_IN_BROWSER_ACTION, text: plain('Open in browser'), value: path };
}

export function renderWebLink(url: string, minutes: number): SlackMessage {
  const text = `Your personal link to the scorecard pages (works once, for ${minutes} minutes): ${url}`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`Here is your personal link to the scorecard pages. It works once, for ${minutes} minutes; don't share it.`),
        accessory: { type: 'button', action_id: 'open_web_link', text: plain('Open the scorecard'), url, style: 'primary' },
      },
    ],
  };
}
