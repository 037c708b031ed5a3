import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

/** The document is no wider than the window (a wide table scrolls in its own frame). */
async function fitsWidth(page: Page, width: number): Promise<boolean> {
  await page.setViewportSize({ width, height: 900 });
  return page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);
}

describe('invoices, as the back office makes them', () => {
  it('drafts a manual invoice, is told which mentions are missing, completes them, issues it with its PDF, and credits it', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    await signUp(page, 'Factures Lumière', 'Claire Fontaine');

    // A client with an address (the buyer's block), then a manual invoice from its page.
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Nouveau client' }).click();
    await page.getByLabel('Prénom').fill('Hélène');
    await page.getByLabel('Nom de famille').fill('Lefèvre');
    await page.getByLabel('Adresse', { exact: true }).fill('5 rue des Lilas');
    await page.getByLabel('Code postal').fill('33000');
    await page.getByLabel('Ville').fill('Bordeaux');
    await page.getByRole('button', { name: 'Créer le client' }).click();
    await page.getByRole('heading', { name: /LEFÈVRE Hélène/ }).waitFor();
    await page.getByRole('link', { name: 'Nouvelle facture' }).click();
    await page.getByLabel('Désignation').fill('Frais de dossier');
    await page.getByLabel('Prix unitaire HT (€)').fill('45,00');
    await page.getByLabel('Date de la prestation ou de la livraison').fill('2026-12-01');
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    await page.getByRole('heading', { name: /Brouillon de facture/ }).waitFor();
    expect(await page.getByText(/^54,00\s€$/).first().isVisible()).toBe(true); // 45 € + 20 % VAT

    // Issuing without the seller's legal identity: refused, with what is missing listed.
    await page.getByRole('button', { name: 'Émettre' }).click();
    await confirmInDialog(page, 'Émettre');
    const missing = page.getByRole('alert').filter({ hasText: 'Mentions obligatoires manquantes' });
    await missing.waitFor();
    for (const mention of ['Forme juridique du vendeur', 'SIREN du vendeur', 'Ville du RCS du vendeur', 'Capital social du vendeur']) {
      expect(await missing.getByText(mention, { exact: true }).count(), mention).toBe(1);
    }

    // The organisation's identity, then the invoicing mentions.
    await page.goto('/parametres/organisation');
    await page.getByLabel('Raison sociale').fill('Lumière Services');
    await page.getByLabel('Forme juridique').selectOption('SAS');
    await page.getByLabel('SIREN').fill('732829320');
    await page.getByLabel('N° de TVA intracommunautaire').fill('FR44732829320');
    await page.getByLabel('Adresse', { exact: true }).fill('12 rue de la Paix');
    await page.getByLabel('Code postal').fill('75002');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées').waitFor();
    await page.getByRole('link', { name: 'Facturation' }).click();
    await page.getByLabel('Capital social (€)').fill('10 000');
    await page.getByLabel('Ville du RCS').fill('Paris');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Paramètres de facturation enregistrés').waitFor();

    // Issued: a number of its series, the kept PDF shown, the files with their sha256.
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Factures' }).click();
    await page.getByRole('link', { name: 'Brouillon de facture' }).click();
    await page.getByRole('button', { name: 'Émettre' }).click();
    await confirmInDialog(page, 'Émettre');
    const heading = page.getByRole('heading', { name: /^Facture \S+-\d+/ });
    await heading.waitFor();
    const number = (await heading.textContent())!.replace(/^Facture (\S+).*$/, '$1');
    await page.getByText('Émise', { exact: true }).waitFor();
    await page.locator('iframe.pdf-preview').waitFor();
    expect(await page.getByRole('button', { name: 'Télécharger le PDF' }).isVisible()).toBe(true);
    // An issued invoice cannot be deleted: the action is gone.
    expect(await page.getByRole('button', { name: 'Supprimer le brouillon' }).count()).toBe(0);
    // Sent again by mail on demand; without the client's address the answer says what to do.
    await page.getByRole('button', { name: 'Envoyer par e-mail' }).click();
    await page.getByText('Le client n’a pas d’adresse e-mail : renseignez-la sur sa fiche').waitFor();
    expect(await fitsWidth(page, 390), 'the invoice page at 390 px').toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });

    // A credit note for what remains: its own series, referencing the invoice.
    await page.getByRole('button', { name: 'Établir un avoir' }).click();
    await confirmInDialog(page, 'Établir un avoir', 'Dossier annulé à la demande du client');
    await page.getByRole('heading', { name: /^Avoir \S+-\d+/ }).waitFor();
    await page.getByRole('link', { name: number }).waitFor();
    await page.getByText('Dossier annulé à la demande du client').waitFor();

    // The list shows both; it fits a phone.
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Factures' }).click();
    await page.getByRole('link', { name: `Facture ${number}` }).waitFor();
    expect(await page.getByRole('link', { name: /^Avoir / }).count()).toBe(1);
    expect(await fitsWidth(page, 390), 'the invoices list at 390 px').toBe(true);
    await context.close();
  });
});
