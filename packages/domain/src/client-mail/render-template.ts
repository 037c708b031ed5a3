import type { Tx } from '@crm/db';
import { mailBodies } from './mail-text.ts';
import { MAIL_TEMPLATES, type MailTemplateKey } from './template-defaults.ts';

const VARIABLE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/g;

/** The variables a text uses that its template does not know. */
export function unknownVariables(key: MailTemplateKey, text: string): string[] {
  const known = MAIL_TEMPLATES[key].variables as Record<string, string>;
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!).filter((name) => !(name in known)))];
}

const fill = (text: string, values: Record<string, string>) => text.replace(VARIABLE, (_all, name: string) => values[name] ?? '');

/**
 * A template with a record's values: the subject on one line, the body's paragraphs (split on
 * blank lines before the values go in, so a value never makes paragraphs), plain text and HTML
 * (every value escaped, the layout of mailBodies).
 */
export function renderTemplate(template: { subject: string; body: string }, values: Record<string, string>): { subject: string; textBody: string; htmlBody: string } {
  const paragraphs = template.body.replace(/\r\n/g, '\n').split(/\n\s*\n/).map((p) => fill(p.trim(), values));
  return { subject: fill(template.subject, values).replace(/[\r\n]+/g, ' ').trim(), ...mailBodies(paragraphs) };
}

/** The organisation's wording of `key`, or the default. */
export async function templateOf(tx: Tx, tenantId: string, key: MailTemplateKey): Promise<{ subject: string; body: string; custom: boolean }> {
  const row = await tx.mailTemplate.findUnique({ where: { tenantId_key: { tenantId, key } }, select: { subject: true, body: true } });
  return row ? { ...row, custom: true } : { subject: MAIL_TEMPLATES[key].subject, body: MAIL_TEMPLATES[key].body, custom: false };
}

/** Renders the organisation's template of `key` with `values`. */
export async function renderTenantTemplate(tx: Tx, tenantId: string, key: MailTemplateKey, values: Record<string, string>) {
  return renderTemplate(await templateOf(tx, tenantId, key), values);
}
