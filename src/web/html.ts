import { html } from 'hono/html';
import type { StatusKind } from '../metrics/types.js';
import { STATUS_WORD } from '../report/text.js';

/**
 * Every page is built with Hono's `html` tagged template: each interpolated value is HTML-escaped (& < > " ') unless
 * it is itself a fragment made by `html`, so user data (metric names, notes, entries) can never become markup.
 * Attributes are always quoted, which makes the escaping sufficient inside them too.
 */

export type Html = ReturnType<typeof html>;

export interface PageUser {
  userId: string;
  admin: boolean;
  csrf: string;
}

export interface PageOptions {
  title: string;
  user?: PageUser;
  /** The nav entry to mark as current. */
  current?: 'scorecard' | 'entry' | 'goals';
}

/** The digest's words for each status ("on track", "near miss", …), capitalised for a table cell. */
export function statusLabel(kind: StatusKind): string {
  const word = STATUS_WORD[kind] ?? kind;
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A status as a word and a shape, never colour alone (print, colour-blind readers, screen readers). */
export function statusBadge(kind: StatusKind, reason?: string): Html {
  return html`<span class="status status-${kind}" title="${reason ?? ''}">${statusLabel(kind)}</span>`;
}

export function layout(opts: PageOptions, body: Html): Html {
  const nav = opts.user
    ? html`<nav aria-label="Main">
        <a href="/scorecard"${opts.current === 'scorecard' ? html` aria-current="page"` : ''}>Scorecard</a>
        <a href="/entries/new"${opts.current === 'entry' ? html` aria-current="page"` : ''}>Log activity</a>
        ${opts.user.admin ? html`<a href="/settings/goals"${opts.current === 'goals' ? html` aria-current="page"` : ''}>Goals</a>` : ''}
        <form method="post" action="/signout" class="inline">
          <input type="hidden" name="csrf" value="${opts.user.csrf}">
          <button type="submit" class="link">Sign out (${opts.user.userId})</button>
        </form>
      </nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Scorecard</title>
<link rel="stylesheet" href="/assets/scorecard.css">
</head>
<body>
<header class="site">${nav}</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export function fieldError(id: string, message: string | undefined): Html {
  return message ? html`<p class="error" id="${id}-error" role="alert">${message}</p>` : html``;
}

/** aria-describedby/aria-invalid for an input whose error is shown beside it. */
export function describedBy(id: string, message: string | undefined): Html {
  return message ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``;
}
