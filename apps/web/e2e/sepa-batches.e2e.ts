import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, createPersonClient, signUp, useBrowser } from './browser.ts';

// SEPA you can see: a batch opens to its debits and one is left out before sending (the totals
// follow), the batch form proposes the next possible date in words, and the payments page
// filters (in the URL) and survives Back; at tablet and desktop widths.

const baseURL = inject('baseURL');
const browser = useBrowser();

const iso = (date: Date) => date.toISOString().slice(0, 10);

/** A signed monthly SEPA contract for a new client, through the client, wizard and signing pages. */
async function signedContract(page: Page, firstName: string, lastName: string) {
  await createPersonClient(page, firstName, lastName);
  await page.getByRole('link', { name: 'Nouveau contrat' }).click();
  await page.getByLabel('Produit 1').selectOption({ index: 1 });
  await page.getByLabel('IBAN', { exact: true }).fill('FR14 2004 1010 0505 0001 3M02 606');
  await page.getByRole('button', { name: 'Créer le contrat' }).click();
  await page.getByRole('heading', { name: /CT-\d{4}-\d{6}/ }).waitFor();
  await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
  await confirmInDialog(page, 'Envoyer pour signature');
  await page.getByRole('link', { name: 'Faire signer' }).click();
  await page.getByLabel('Nom du signataire').fill(`${firstName} ${lastName}`);
  await page.getByLabel('Lieu de signature').fill('Bordeaux');
  await page.getByLabel(/je le signe électroniquement/).check();
  await page.getByRole('button', { name: 'Signer le contrat' }).click();
  await page.locator('.badge', { hasText: 'Signé' }).waitFor();
}

/** The document is no wider than the window. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, what).toBeLessThanOrEqual(innerWidth);
}

/** "3 prélèvements · 75,00 €" -> [3, "75,00 €"]. */
async function totals(page: Page): Promise<[number, string]> {
  const text = (await page.getByTestId('batch-totals').innerText()).replace(/\s+/g, ' ');
  const match = /(\d+) prélèvements? · ([\d ,]+ €)/.exec(text.replace(/\u00a0|\u202f/g, ' '));
  expect(match, text).not.toBeNull();
  return [Number(match![1]), match![2]!];
}

describe('SEPA batches you can see', () => {
  it('opens a batch, leaves a line out, proposes a date, filters the payments page and goes Back (820 and 1440 px)', { timeout: 300_000 }, async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signUp(page, 'Lots SEPA', 'Lucie Compta');
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByLabel('Identifiant créancier SEPA (ICS)').fill('FR72ZZZ123456');
      await page.getByLabel('IBAN du compte créancier').fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByLabel('Jour de prélèvement').fill('12');
      // These contract terms make the schedule the notice (else each debtor is told by mail first).
      await page.getByLabel('L’échéancier remis à la signature vaut pré-notification').check();
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Modifications enregistrées').waitFor();

      await page.getByRole('link', { name: 'Produits' }).click();
      await page.getByLabel('Code').fill('ABO');
      await page.getByLabel('Nom', { exact: true }).fill('Abonnement');
      await page.getByLabel('Prix HT (€)').fill('25,00');
      await page.getByRole('button', { name: 'Ajouter le produit' }).click();
      await page.getByRole('cell', { name: 'Abonnement' }).waitFor();
      await signedContract(page, 'Hélène', 'Lefèvre');
      await signedContract(page, 'Marc', 'Durand');
      await signedContract(page, 'Inès', 'Roux');

      // The form proposes the next possible date and says why, in plain French.
      await page.getByRole('link', { name: 'Prélèvements' }).click();
      await page.getByRole('heading', { name: 'Prélèvements' }).waitFor();
      const advice = page.getByTestId('collection-date-advice');
      expect(await advice.innerText()).toMatch(/^Prochaine date possible : \S+ (1er|\d+) \S+ \d{4}\. La banque doit recevoir le fichier au moins un jour ouvré bancaire avant/);
      expect(await page.locator('main').innerText()).not.toMatch(/TARGET2|MsgId/);
      const dateField = page.getByLabel('Date de prélèvement');
      expect(await dateField.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // A bank holiday is refused in words, with the next possible day.
      const year = new Date().getUTCFullYear() + 1;
      await dateField.fill(`${year}-12-25`);
      await page.getByText(/^Noël, pas de prélèvement ce jour-là ; prochain jour possible : lundi|mardi|mercredi|jeudi|vendredi/).first().waitFor();

      // The first debits of the three contracts: a date they are all due by.
      let found = false;
      for (let days = 15; days <= 75 && !found; days++) {
        const candidate = new Date(Date.now() + days * 86_400_000);
        if (candidate.getUTCDay() === 0 || candidate.getUTCDay() === 6) continue;
        await dateField.fill(iso(candidate));
        const status = page.getByRole('status').filter({ hasText: /à prélever/ });
        const refused = page.getByText('pas de prélèvement ce jour-là').first();
        await Promise.race([status.waitFor(), refused.waitFor()]);
        found = (await status.count()) > 0 && Number(/^(\d+)/.exec(await status.first().innerText())?.[1] ?? 0) >= 3;
      }
      expect(found).toBe(true);
      await page.getByRole('button', { name: 'Générer le lot' }).click();
      // The dialog says how many debits and how much before anything is built.
      await expect.poll(() => page.getByRole('dialog').innerText()).toMatch(/\d+ prélèvements pour [\d\s,]+€ seront mis dans le fichier/);
      await confirmInDialog(page, 'Générer le lot');
      await page.locator('.badge', { hasText: 'Généré' }).waitFor();

      for (const width of [1440, 820]) {
        await page.setViewportSize({ width, height: width === 820 ? 1180 : 900 });
        await page.getByRole('link', { name: 'Prélèvements' }).first().click().catch(async () => page.goto('/prelevements'));
        await page.getByRole('link', { name: /^Ouvrir le lot n° 1$/ }).click();
        await page.getByRole('heading', { name: /^Lot n° 1 · prélèvement du/ }).waitFor();
        // Its debits: client, amount, mandate, sequence.
        const table = page.getByRole('table', { name: 'Prélèvements' });
        await table.getByText(/RUM-\d{4}-\d{6}/).first().waitFor();
        await table.getByText('Premier (FRST)').first().waitFor();
        const [count, total] = await totals(page);
        expect(count).toBeGreaterThanOrEqual(2);
        await expectNoSidewaysScroll(page, `lot à ${width} px`);
        // Leave the first line out: the dialog says what follows, the totals change.
        await table.getByRole('button', { name: /^Retirer le prélèvement de/ }).first().click();
        await expect.poll(() => page.getByRole('dialog').innerText()).toMatch(new RegExp(`qui passera à ${count - 1} prélèvements? pour`));
        await confirmInDialog(page, 'Retirer');
        await expect.poll(() => totals(page)).not.toEqual([count, total]);
        expect((await totals(page))[0]).toBe(count - 1);
        await page.getByRole('table', { name: 'Échéances écartées du lot' }).getByText('Retiré du lot avant l’envoi à la banque').first().waitFor();
        await page.screenshot({ path: `/tmp/web-batch-${width}.png`, fullPage: true });

        // The payments page: filters in the URL, the collection date used, Back keeps them.
        await page.goto('/paiements');
        await page.getByRole('heading', { name: 'Paiements', exact: true }).waitFor();
        await page.getByLabel('Statut').selectOption('planned');
        await expect.poll(() => new URL(page.url()).searchParams.get('statut')).toBe('planned');
        await page.getByLabel('Client', { exact: true }).fill('Le');
        await page.locator('#payment-clients option').first().waitFor({ state: 'attached' });
        await page.getByLabel('Client', { exact: true }).fill('LEFÈVRE Hélène');
        await expect.poll(() => new URL(page.url()).searchParams.get('client')).toMatch(/^[0-9a-f-]{36}$/);
        const items = page.getByRole('table', { name: 'Échéances' });
        await items.getByRole('link', { name: 'LEFÈVRE Hélène' }).first().waitFor();
        expect(await items.getByRole('link', { name: 'DURAND Marc' }).count()).toBe(0);
        await expectNoSidewaysScroll(page, `paiements à ${width} px`);
        await page.screenshot({ path: `/tmp/web-payments-${width}.png`, fullPage: true });
        const filtered = page.url();
        await items.getByRole('link', { name: 'LEFÈVRE Hélène' }).first().click();
        await page.getByRole('heading', { name: /LEFÈVRE Hélène/ }).waitFor();
        await page.goBack();
        await page.getByRole('heading', { name: 'Paiements', exact: true }).waitFor();
        expect(page.url()).toBe(filtered);
        expect(await page.getByLabel('Statut').inputValue()).toBe('planned');
        await items.getByRole('link', { name: 'LEFÈVRE Hélène' }).first().waitFor();
        await page.getByRole('button', { name: 'Effacer les filtres', exact: true }).click();
      }
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-sepa-batches-failure.png', fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await context.close();
    }
  });
});
