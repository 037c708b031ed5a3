import { describe, expect, it } from 'vitest';
import { createClient, listMailTemplates, previewMailTemplate, renderTemplate, resetMailTemplate, updateMailTemplate, ZCreateClientInput, ZPreviewMailTemplateInput, ZUpdateMailTemplateInput } from '../src/index.ts';
import { ownerTenant } from './harness.ts';

describe('mail templates', () => {
  it('renders variables into plain text and escaped HTML, paragraphs from blank lines, empty ones dropped', () => {
    const out = renderTemplate({ subject: 'Bonjour {{client.nom}}', body: '{{salutation}}\n\nVotre dossier : {{client.nom}}\n\n{{vide}}\n\nLigne 1\nLigne 2' }, {
      salutation: 'Bonjour <Jean> & Cie,',
      'client.nom': '<script>alert(1)</script>',
      vide: '',
    });
    expect(out.subject).toBe('Bonjour <script>alert(1)</script>');
    expect(out.textBody).toBe('Bonjour <Jean> & Cie,\n\nVotre dossier : <script>alert(1)</script>\n\nLigne 1\nLigne 2\n');
    expect(out.htmlBody).toContain('<p>Bonjour &lt;Jean&gt; &amp; Cie,</p><p>Votre dossier : &lt;script&gt;alert(1)&lt;/script&gt;</p><p>Ligne 1<br>Ligne 2</p>');
    expect(out.htmlBody).not.toContain('<script>');
  });

  it('keeps the default texts until the organisation rewords one, refuses unknown variables, previews with a real client, resets', { timeout: 30_000 }, async () => {
    const { run } = await ownerTenant();
    const defaults = await run((deps) => listMailTemplates(deps));
    expect(defaults.map((t) => t.key)).toEqual(['client.welcome', 'contract.signed_copy', 'payment.rejected_notice', 'invoice.issued']);
    expect(defaults.every((t) => !t.custom && t.kind === 'service')).toBe(true);

    await expect(run((deps) => updateMailTemplate(deps, ZUpdateMailTemplateInput.parse({ key: 'client.welcome', subject: 'Bienvenue', body: 'Bonjour {{client.prenom}}' })))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { body: ['Variable inconnue : {{client.prenom}}'] },
    });
    await run((deps) => updateMailTemplate(deps, ZUpdateMailTemplateInput.parse({ key: 'client.welcome', subject: 'Bienvenue, {{client.nom}}', body: '{{salutation}}\n\nRavis de vous accueillir chez {{organisation.nom}}.' })));
    expect((await run((deps) => listMailTemplates(deps)))[0]).toMatchObject({ custom: true, subject: 'Bienvenue, {{client.nom}}' });

    const client = await run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'person', firstName: 'Élodie', lastName: 'Martin', email: 'elodie@example.test' })));
    const preview = await run((deps) => previewMailTemplate(deps, ZPreviewMailTemplateInput.parse({ key: 'client.welcome', subject: 'Bienvenue, {{client.nom}}', body: '{{salutation}}\n\nRavis de vous accueillir chez {{organisation.nom}}.' })));
    expect(preview).toMatchObject({ subject: 'Bienvenue, Élodie Martin', recipient: 'elodie@example.test', clientId: client.client!.id });
    expect(preview.textBody).toMatch(/^Bonjour Élodie Martin,\n\nRavis de vous accueillir chez Société Test\.\n$/);

    await run((deps) => resetMailTemplate(deps, { key: 'client.welcome' }));
    expect((await run((deps) => listMailTemplates(deps)))[0]!.custom).toBe(false);
  });
});
