import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { createPersonClient, signUp, useBrowser, confirmInDialog } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

async function addProduct(page: Page, code: string, name: string, price: string) {
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Nom', { exact: true }).fill(name);
  await page.getByLabel('Prix HT (€)').fill(price);
  await page.getByRole('button', { name: 'Ajouter le produit' }).click();
  await page.getByRole('cell', { name }).waitFor();
}

/**
 * Chooses a product in the wizard by its option, which says its price with basis and period
 * ("Électricité verte (49,90 € HT / mois)"); spaces compared as spaces (the browser picks the
 * non-breaking ones).
 */
async function chooseProduct(page: Page, field: string, label: RegExp) {
  const options = page.getByLabel(field).locator('option');
  // The products arrive after the form: wait for the option.
  const indexOf = async () => (await options.allTextContents()).map((text) => text.replace(/\s/g, ' ')).findIndex((text) => label.test(text));
  await expect.poll(indexOf, { timeout: 15_000 }).toBeGreaterThan(0);
  await page.getByLabel(field).selectOption({ index: await indexOf() });
}

/** The first day of next month in Paris: whole monthly periods, and the products' prices (from today) in effect. */
function firstOfNextMonth(): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date()).split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(year, month, 1));
  return next.toISOString().slice(0, 10);
}

describe('editing a draft contract', () => {
  it('creates a draft through the wizard, edits its quantity then its product, and the contract page shows what was saved', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Brouillons');
      await page.getByRole('link', { name: 'Produits' }).click();
      await addProduct(page, 'ELEC', 'Électricité verte', '49,90');
      await addProduct(page, 'GAZ', 'Gaz naturel', '30,00');

      await createPersonClient(page, 'Hélène', 'Lefèvre');

      // The wizard: one line, dates, the IBAN checked as it is typed, both previews.
      await page.getByRole('link', { name: 'Nouveau contrat' }).click();
      // The wizard, not the client page it comes from (whose timeline also names the client).
      await page.getByRole('heading', { name: 'Nouveau contrat', level: 1 }).waitFor();
      await page.getByText('LEFÈVRE Hélène').waitFor();
      await chooseProduct(page, 'Produit 1', /^Électricité verte \(49,90 € HT \/ mois\)$/);
      await page.getByLabel('Quantité 1').fill('2');
      await page.getByLabel('Date de début').fill(firstOfNextMonth());
      await page.getByLabel('Durée (mois)').fill('12');
      const iban = page.getByLabel('IBAN', { exact: true });
      await iban.fill('FR76 30006');
      await page.getByText('IBAN incomplet : 9 caractères sur 27').waitFor();
      await iban.fill('BR15 0000 0000 0000 1093 2840 814P2');
      await page.getByRole('alert').filter({ hasText: 'IBAN invalide : pays « BR » hors zone SEPA' }).waitFor();
      await iban.fill('FR76 3000 6000 0112 3456 7890 188');
      await page.getByRole('alert').filter({ hasText: 'IBAN invalide : clé de contrôle incorrecte' }).waitFor();
      await iban.fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByText('IBAN valide').waitFor();
      // 2 x 49,90 = 99,80 HT + 19,96 TVA = 119,76 TTC a month, 12 whole months.
      await page.getByTestId('preview-ttc').filter({ hasText: '119,76' }).waitFor();
      const schedule = page.getByRole('region', { name: 'Échéancier prévu' });
      await schedule.getByTestId('schedule-summary').filter({ hasText: /^12 échéances, 1\s437,12\s€ TTC au total, le 5 du mois/ }).waitFor();
      expect(await schedule.getByRole('row').count()).toBe(1 + 12);
      await page.getByRole('button', { name: 'Créer le contrat' }).click();

      await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
      await page.locator('.badge', { hasText: 'Brouillon' }).waitFor();
      await page.getByRole('table', { name: 'Lignes du contrat' }).getByRole('cell', { name: '119,76' }).waitFor();
      const contractUrl = page.url();
      const lines = page.getByRole('table', { name: 'Lignes du contrat' });

      // Edit: the wizard comes back filled with the draft; change the quantity.
      await page.getByRole('link', { name: 'Modifier' }).click();
      await page.getByRole('heading', { name: /Modifier le contrat CT-\d{4}-000001/ }).waitFor();
      expect(await page.getByLabel('Quantité 1').inputValue()).toBe('2');
      expect(await page.getByLabel('IBAN', { exact: true }).inputValue()).toBe('FR76 3000 6000 0112 3456 7890 189');
      await page.getByText('IBAN valide').waitFor();
      await page.getByTestId('preview-ttc').filter({ hasText: '119,76' }).waitFor();
      await page.getByLabel('Quantité 1').fill('3');
      // 3 x 49,90 = 149,70 HT + 29,94 TVA = 179,64 TTC; 12 x 179,64 = 2 155,68.
      await page.getByTestId('preview-ttc').filter({ hasText: '179,64' }).waitFor();
      await page.getByTestId('schedule-summary').filter({ hasText: /2\s155,68/ }).waitFor();
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();

      await page.waitForURL(contractUrl);
      await page.locator('.badge', { hasText: 'Brouillon' }).waitFor();
      await lines.getByRole('cell', { name: '179,64' }).waitFor();
      await lines.getByRole('row', { name: /Électricité verte\s+3\s/ }).waitFor();
      await page.getByTestId('schedule-summary').filter({ hasText: /2\s155,68/ }).waitFor();

      // Then the product: the line takes the new product's name and price.
      await page.getByRole('link', { name: 'Modifier' }).click();
      await chooseProduct(page, 'Produit 1', /^Gaz naturel \(30,00 € HT \/ mois\)$/);
      // 3 x 30,00 = 90,00 HT + 18,00 TVA = 108,00 TTC.
      await page.getByTestId('preview-ttc').filter({ hasText: '108,00' }).waitFor();
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.waitForURL(contractUrl);
      await lines.getByRole('row', { name: /Gaz naturel\s+3\s/ }).waitFor();

      // Saved on the server, not only in the page's cache.
      await page.reload();
      await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
      await lines.getByRole('cell', { name: '108,00' }).waitFor();
      await lines.getByRole('row', { name: /Gaz naturel\s+3\s+30,00/ }).waitFor();
      expect(await lines.getByRole('cell', { name: 'Électricité verte' }).count()).toBe(0);
      await page.getByTestId('schedule-summary').filter({ hasText: /^12 échéances, 1\s296,00\s€ TTC/ }).waitFor();
      await page.screenshot({ path: '/tmp/web-contract-edited.png', fullPage: true });

      // Once sent, a contract is no longer a draft: no edit action, and the edit page says why.
      await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
      await confirmInDialog(page, 'Envoyer pour signature');
      await page.locator('.badge', { hasText: 'Envoyé pour signature' }).waitFor();
      expect(await page.getByRole('link', { name: 'Modifier' }).count()).toBe(0);
      await page.goto(`${contractUrl}/modifier`);
      await page.getByText(/Ce contrat n'est plus modifiable : il est « Envoyé pour signature »/).waitFor();
      expect(await page.getByRole('button', { name: 'Enregistrer les modifications' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("takes a company's contract under the B2B scheme, which a person's contract does not offer", async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Interentreprises');
      await page.getByRole('link', { name: 'Produits' }).click();
      await addProduct(page, 'MAINT', 'Maintenance', '120,00');

      await createPersonClient(page, 'Hélène', 'Lefèvre');
      await page.getByRole('link', { name: 'Nouveau contrat' }).click();
      // The wizard's own heading first: the client page behind it also names the client.
      await page.getByRole('heading', { name: 'Nouveau contrat' }).waitFor();
      await page.getByText('LEFÈVRE Hélène').waitFor();
      await page.getByLabel('IBAN', { exact: true }).waitFor();
      expect(await page.getByLabel('Schéma SEPA').count()).toBe(0);

      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('link', { name: 'Nouveau client' }).click();
      await page.getByLabel('Type').selectOption({ label: 'Entreprise' });
      await page.getByLabel('Raison sociale').fill('Garage Durand');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByRole('heading', { name: 'Garage Durand' }).waitFor();
      await page.getByRole('link', { name: 'Nouveau contrat' }).click();
      await page.getByText('Garage Durand').first().waitFor();
      await chooseProduct(page, 'Produit 1', /^Maintenance \(120,00 € HT \/ mois\)$/);
      await page.getByLabel('IBAN', { exact: true }).fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByLabel('Schéma SEPA').selectOption({ label: 'B2B (interentreprises)' });
      await page.getByText(/pas de remboursement après débit/).waitFor();
      await page.getByRole('button', { name: 'Créer le contrat' }).click();
      await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
      await page.locator('dd', { hasText: 'B2B (interentreprises)' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
