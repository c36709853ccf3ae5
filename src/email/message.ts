/** What every email renderer produces: one subject and the same content as HTML and as plain text. */
export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

export interface EmailRenderOptions {
  /** The web page for this digest, when PUBLIC_URL is set. */
  link?: string;
  /** Sensitive metrics left out of this copy. */
  hidden: number;
}

/** `${PUBLIC_URL}/scorecard/2026-W47`, or the scorecard's front page for a daily digest; none without PUBLIC_URL. */
export function webLink(publicUrl: string | undefined, path: string): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
