/**
 * A tiny auto-escaping template for email HTML: every interpolated string is escaped unless it is already `SafeHtml`
 * (the result of another `html` template), so a metric name or owner can never inject markup into a message.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | SafeHtml | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Inline styles: mail clients (Gmail, Outlook) drop <style> blocks and ignore classes, so every element carries its own. */
export const STYLE = {
  body: 'margin:0;padding:0;background:#f6f8fa;',
  outer: 'width:100%;background:#f6f8fa;border-collapse:collapse;',
  card: "width:100%;max-width:760px;background:#ffffff;border:1px solid #d0d7de;border-collapse:collapse;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;",
  pad: 'padding:16px 20px;',
  title: 'margin:0;font-size:20px;font-weight:600;',
  muted: 'color:#59636e;font-size:13px;',
  h2: 'margin:0 0 8px 0;font-size:16px;font-weight:600;',
  table: 'width:100%;border-collapse:collapse;font-size:13px;',
  th: 'text-align:left;padding:6px 8px;border-bottom:2px solid #d0d7de;color:#59636e;font-weight:600;white-space:nowrap;',
  thRight: 'text-align:right;padding:6px 8px;border-bottom:2px solid #d0d7de;color:#59636e;font-weight:600;white-space:nowrap;',
  td: 'text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top;',
  tdRight: 'text-align:right;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top;white-space:nowrap;',
  group: 'padding:10px 8px 4px 8px;font-weight:600;font-size:13px;border-bottom:1px solid #d0d7de;',
  attention: 'background:#fff8c5;border:1px solid #d4a72c;padding:12px 16px;',
  button: 'display:inline-block;padding:8px 14px;background:#0969da;color:#ffffff;text-decoration:none;border-radius:6px;font-size:14px;',
} as const;

export const STATUS_COLOR: Record<string, string> = {
  green: '#1a7f37',
  yellow: '#9a6700',
  red: '#cf222e',
  stale: '#8250df',
  no_data: '#59636e',
  no_goal: '#59636e',
};

/** The outer frame every message shares: a centred fixed-width card built from tables (Outlook ignores max-width on divs). */
export function frame(title: string, sections: SafeHtml[]): string {
  const rows = sections.map((section) => html`<tr><td style="${STYLE.pad}">${section}</td></tr>`);
  return `<!DOCTYPE html>${
    html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="${STYLE.body}"><table role="presentation" style="${STYLE.outer}" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:16px 8px;"><table role="presentation" style="${STYLE.card}" cellpadding="0" cellspacing="0">${rows}</table></td></tr></table></body></html>`
      .value
  }`;
}
