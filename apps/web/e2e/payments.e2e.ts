import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { createPersonClient, signUp, useBrowser, confirmInDialog } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

const iso = (date: Date) => date.toISOString().slice(0, 10);

/** A signed monthly SEPA contract, through the product, client, wizard and signing pages. */
async function signedContract(page: Page) {
  await page.getByRole('link', { name: 'Produits' }).click();
  await page.getByLabel('Code').fill('ABO');
  await page.getByLabel('Nom', { exact: true }).fill('Abonnement');
  await page.getByLabel('Prix HT (€)').fill('25,00');
  await page.getByRole('button', { name: 'Ajouter le produit' }).click();
  await page.getByRole('cell', { name: 'Abonnement' }).waitFor();
  await createPersonClient(page, 'Hélène', 'Lefèvre');
  await page.getByRole('link', { name: 'Nouveau contrat' }).click();
  await page.getByLabel('Produit 1').selectOption({ index: 1 });
  await page.getByLabel('IBAN', { exact: true }).fill('FR14 2004 1010 0505 0001 3M02 606');
  await page.getByRole('button', { name: 'Créer le contrat' }).click();
  await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
  await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
  await confirmInDialog(page, 'Envoyer pour signature');
  await page.getByRole('link', { name: 'Faire signer' }).click();
  await page.getByLabel('Nom du signataire').fill('Hélène Lefèvre');
  await page.getByLabel('Lieu de signature').fill('Bordeaux');
  await page.getByLabel(/je le signe électroniquement/).check();
  await page.getByRole('button', { name: 'Signer le contrat' }).click();
  await page.locator('.badge', { hasText: 'Signé' }).waitFor();
}

describe('SEPA collection, from a signed contract to a rejected debit', () => {
  it('builds a batch, downloads its file, marks it sent, imports a rejection and finds it among the payments', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signUp(page, 'Prélèvements', 'Paul Compta');
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByLabel('Identifiant créancier SEPA (ICS)').fill('FR72ZZZ123456');
      await page.getByLabel('IBAN du compte créancier').fill('FR76 3000 6000 0112 3456 7890 189');
      // The collection settings: a debit day the domain refuses, on its field; then the bank's format.
      await page.getByLabel('Jour de prélèvement').fill('31');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Jour de prélèvement : 28 au plus').first().waitFor();
      await page.getByLabel('Jour de prélèvement').fill('12');
      await page.getByLabel('Format du fichier de prélèvements').selectOption('pain.008.001.02');
      // The schedule is the debtor's notice under these terms (sepa-batches.e2e.ts and the domain tests cover the notice per debit).
      await page.getByLabel('L’échéancier remis à la signature vaut pré-notification').check();
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Modifications enregistrées').waitFor();
      await page.reload();
      expect(await page.getByLabel('Jour de prélèvement').inputValue()).toBe('12');
      expect(await page.getByLabel('Format du fichier de prélèvements').inputValue()).toBe('pain.008.001.02');
      await signedContract(page);

      // The worker makes the schedule from contract.signed; the first period is due on the next 12th.
      await page.getByRole('link', { name: 'Prélèvements' }).click();
      await page.getByRole('heading', { name: 'Prélèvements' }).waitFor();
      const dateField = page.getByLabel('Date de prélèvement');
      let found = false;
      for (let days = 15; days <= 60 && !found; days++) {
        const candidate = new Date(Date.now() + days * 86_400_000);
        if (candidate.getUTCDay() === 0 || candidate.getUTCDay() === 6) continue;
        await dateField.fill(iso(candidate));
        const status = page.getByRole('status').filter({ hasText: /à prélever/ });
        const refused = page.getByText('pas de prélèvement ce jour-là').first();
        await Promise.race([status.waitFor(), refused.waitFor()]);
        found = (await status.count()) > 0 && !(await status.first().innerText()).startsWith('0 ');
      }
      expect(found).toBe(true);
      await page.getByRole('button', { name: 'Générer le lot' }).click();
      await confirmInDialog(page, 'Générer le lot');
      await page.locator('.badge', { hasText: 'Généré' }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^PRLV-\d{8}-000001\.xml$/);
      const xml = await readFile(await download.path(), 'utf8');
      expect(xml).toContain('<SeqTp>FRST</SeqTp>');
      // The format chosen in the settings, in the file and in the list of batches.
      expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"');
      await page.getByRole('cell', { name: 'pain.008.001.02' }).waitFor();
      const endToEndId = /<EndToEndId>([^<]+)<\/EndToEndId>/.exec(xml)![1]!;
      await page.getByRole('button', { name: 'Marquer envoyé' }).click();
      await confirmInDialog(page, 'Marquer envoyé');
      await page.locator('.badge', { hasText: 'Envoyé' }).waitFor();

      await page.getByRole('link', { name: 'Retours bancaires' }).click();
      await page.getByLabel('Choisir un fichier').setInputFiles({
        name: 'retours.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`end_to_end_id;status;reason_code\n${endToEndId};rejected;AM04\nE2E-INCONNU-1;rejected;AM04\n`),
      });
      await page.getByText('1 ligne rapprochée : 1 rejet, 0 règlement').first().waitFor();
      await page.getByRole('cell', { name: 'E2E-INCONNU-1' }).waitFor();
      await page.screenshot({ path: '/tmp/web-bank-returns.png', fullPage: true });

      await page.getByRole('link', { name: 'Paiements' }).click();
      await page.getByLabel('Motif').fill('AM04');
      await page.locator('.badge', { hasText: 'Rejetée' }).waitFor();
      await page.getByRole('cell', { name: 'Rejeté', exact: true }).waitFor();
      // The reason in words, with its code, coloured by what comes next.
      await page.locator('.badge', { hasText: 'Provision insuffisante (AM04)' }).first().waitFor();

      await page.getByRole('link', { name: 'Mandats' }).click();
      await page.getByText(/RUM-\d{4}-000001/).waitFor();
      await page.screenshot({ path: '/tmp/web-mandates.png', fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
