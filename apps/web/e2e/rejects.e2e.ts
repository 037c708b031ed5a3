import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, createPersonClient, signUp, useBrowser } from './browser.ts';

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

describe('the rejects queue', () => {
  it('shows an AM04 rejection with its next presentation, brings it forward, then stops it for dunning', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signUp(page, 'Rejets', 'Paul Compta');
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByLabel('Identifiant créancier SEPA (ICS)').fill('FR72ZZZ123456');
      await page.getByLabel('IBAN du compte créancier').fill('FR76 3000 6000 0112 3456 7890 189');
      // The retry settings beside the collection's: a number out of range is refused on its field.
      await page.getByLabel('Nombre de nouvelles présentations').fill('9');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Nouvelles présentations : 5 au plus').first().waitFor();
      await page.getByLabel('Nombre de nouvelles présentations').fill('2');
      await page.getByLabel('Date de la nouvelle présentation').selectOption('after_month_end');
      // The schedule is the debtor's notice under these terms (a re-presentation still gets its own).
      await page.getByLabel('L’échéancier remis à la signature vaut pré-notification').check();
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Modifications enregistrées').waitFor();
      await signedContract(page);

      // A batch, sent; the bank rejects its debit for want of funds.
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
      const endToEndId = /<EndToEndId>([^<]+)<\/EndToEndId>/.exec(await readFile(await download.path(), 'utf8'))![1]!;
      await page.getByRole('button', { name: 'Marquer envoyé' }).click();
      await confirmInDialog(page, 'Marquer envoyé');
      await page.locator('.badge', { hasText: 'Envoyé' }).waitFor();
      await page.getByRole('link', { name: 'Retours bancaires' }).click();
      await page.getByLabel('Choisir un fichier').setInputFiles({
        name: 'retours.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`end_to_end_id;status;reason_code\n${endToEndId};rejected;AM04\n`),
      });
      await page.getByText('1 ligne rapprochée : 1 rejet, 0 règlement').first().waitFor();

      // The queue: the reason in French and the next presentation, decided by the worker's retries consumer.
      await page.getByRole('link', { name: 'Rejets' }).click();
      await page.getByRole('heading', { name: 'Prélèvements rejetés' }).waitFor();
      await page.locator('.badge', { hasText: 'Provision insuffisante (AM04)' }).waitFor();
      const next = page.getByText(/^2ᵉ présentation le \d{1,2} \S+ \d{4} \(prévue\)$/);
      for (let i = 0; i < 30 && (await next.count()) === 0; i++) {
        await page.waitForTimeout(1_000);
        await page.reload();
      }
      const planned = await next.first().innerText();

      // Brought forward to the earliest date, then stopped: dunning takes it.
      await page.getByRole('button', { name: 'Présenter au plus tôt' }).click();
      await page.waitForFunction((before) => {
        const cell = [...document.querySelectorAll('td')].find((td) => /^2ᵉ présentation le/.test(td.textContent ?? ''));
        return Boolean(cell && !(cell.textContent ?? '').startsWith(before));
      }, planned);
      expect(await next.count()).toBe(1);
      await page.getByRole('button', { name: 'Arrêter' }).click();
      await page.getByLabel('Afficher').selectOption('all');
      await page.getByText('Arrêté : relance').waitFor();
      expect(await page.getByRole('button', { name: 'Arrêter' }).count()).toBe(0);
      await page.screenshot({ path: '/tmp/web-rejects.png', fullPage: true });
    } finally {
      await context.close();
    }
  }, 180_000);
});
