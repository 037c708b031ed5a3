import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('clients, as the back office uses them', () => {
  it('creates a client, finds it by searching without accents, and is warned of a duplicate', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Clients');
      await page.getByRole('link', { name: 'Clients' }).click();
      // Each page names itself in the tab, and the keyboard's first stop skips the menus.
      await expect.poll(() => page.title()).toBe('Clients · CRM');
      await page.reload();
      await page.getByRole('heading', { name: 'Clients' }).waitFor();
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('contenu');
      await page.getByRole('link', { name: 'Nouveau client' }).click();
      await expect.poll(() => page.title()).toBe('Nouveau client · CRM');
      await page.getByLabel('Prénom').fill('Hélène');
      await page.getByLabel('Nom de famille').fill('Lefèvre');
      await page.getByLabel('Email').fill('helene.lefevre@example.test');
      await page.getByLabel('Mobile').fill('06 12 34 56 78');
      await page.getByLabel('Téléphone').fill('12');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByText('Numéro de téléphone invalide').waitFor();
      await page.getByLabel('Téléphone').fill('');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByRole('heading', { name: /LEFÈVRE Hélène/ }).waitFor();
      await page.getByText('06 12 34 56 78', { exact: true }).waitFor(); // stored as +33612345678, shown as dialled in France

      await page.getByRole('link', { name: '← Clients' }).click();
      await page.getByLabel('Rechercher (nom, email, téléphone, SIRET)').fill('helene lefevre');
      await page.getByRole('link', { name: 'LEFÈVRE Hélène' }).waitFor();
      await page.getByLabel('Rechercher (nom, email, téléphone, SIRET)').fill('nobody here');
      await page.getByText('Aucun client.').waitFor();
      await page.screenshot({ path: '/tmp/web-clients.png' });
      await page.getByLabel('Rechercher (nom, email, téléphone, SIRET)').fill('');
      await page.getByRole('link', { name: 'LEFÈVRE Hélène' }).waitFor(); // the export takes the list's filters
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter (CSV)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^clients-\d{4}-\d{2}-\d{2}\.csv$/);
      const exported = await new Promise<string>((resolve, reject) => {
        void download.createReadStream().then((stream) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
        });
      });
      expect(exported).toContain('"LEFÈVRE Hélène";"Particulier";"helene.lefevre@example.test"');

      // The same email again: a warning with the candidate, then created on confirmation.
      await page.getByRole('link', { name: 'Nouveau client' }).click();
      await page.getByLabel('Nom de famille').fill('Lefevre');
      await page.getByLabel('Email').fill('helene.lefevre@example.test');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByText('Clients peut-être identiques :').waitFor();
      expect(await page.getByRole('alert').filter({ hasText: 'même email' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Créer quand même' }).click();
      await page.getByRole('heading', { name: /LEFEVRE/ }).waitFor();

      // A product with its price in euros, French style.
      await page.getByRole('link', { name: 'Produits' }).click();
      await page.getByLabel('Code').fill('elec-base');
      await page.getByLabel('Nom', { exact: true }).fill('Électricité Base');
      await page.getByLabel('Prix HT (€)').fill('49,90');
      await page.getByRole('button', { name: 'Ajouter le produit' }).click();
      await page.getByRole('cell', { name: 'ELEC-BASE' }).waitFor();
      await page.getByRole('cell', { name: /49,90\s€/ }).waitFor();
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-clients-failure.png', fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
