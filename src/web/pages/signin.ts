import { html } from 'hono/html';
import { layout, type Html } from '../html.js';

/** The signed-out pages: how to get a link, the one-click confirmation of a link, and why a link was refused. */

export function howToSignInPage(message?: string, withSlack = false): Html {
  return layout(
    { title: 'Sign in' },
    html`<h1>Sign in to the scorecard</h1>
${message ? html`<p class="warning" role="alert">${message}</p>` : ''}
<p>The scorecard pages open with a personal link from Slack:</p>
<ul>
  <li>type <code>/scorecard web</code> in any channel (only you see the answer), or</li>
  <li>press <strong>Open in browser</strong> on the weekly scorecard or on a <code>/metric</code> answer.</li>
</ul>
<p>A link works once, for 10 minutes, and keeps you signed in on this browser for 7 days.</p>
${withSlack ? html`<p><a href="/signin/slack" class="button">Sign in with Slack</a></p>` : ''}`,
  );
}

/** GET of a link shows this; only the POST uses the link, so a link previewer or prefetcher cannot spend it. */
export function confirmSignInPage(token: string, userId: string, next: string): Html {
  return layout(
    { title: 'Sign in' },
    html`<h1>Sign in to the scorecard</h1>
<form method="post" action="/signin">
  <input type="hidden" name="token" value="${token}">
  <input type="hidden" name="next" value="${next}">
  <p>Continue as <strong>${userId}</strong>?</p>
  <p><button type="submit" id="continue">Continue</button></p>
</form>`,
  );
}

export function messagePage(title: string, message: string): Html {
  return layout({ title }, html`<h1>${title}</h1><p>${message}</p><p><a href="/signin">How to sign in</a></p>`);
}
