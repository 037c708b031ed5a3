import { describe, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('a company, its contacts and overseas phones, as the back office uses them', () => {
  it('creates a Guadeloupe company, adds its contacts, shows numbers as dialled, finds it by a contact and by "0690"; the import preview names the contact', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Contacts');
      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('link', { name: 'Nouveau client' }).click();
      await page.getByLabel('Type', { exact: true }).selectOption('company');
      await page.getByLabel('Raison sociale').fill('Distillerie des Îles');
      await page.getByLabel('Téléphone').fill('0590 82 12 34');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByRole('heading', { name: /Distillerie des Îles/ }).waitFor();
      // Stored as +590 590 82 12 34 (Guadeloupe), shown as dialled in France.
      await page.getByText('0590 82 12 34', { exact: true }).waitFor();

      await page.getByText('Aucun contact pour cette entreprise.').waitFor();
      await page.getByRole('button', { name: 'Ajouter un contact' }).click();
      const add = page.getByRole('form', { name: 'Ajouter un contact' });
      await add.getByLabel('Prénom').fill('Marie');
      await add.getByLabel('Nom', { exact: true }).fill('Leroy');
      await add.getByLabel('Fonction').fill('Directrice administrative');
      await add.getByLabel('Mobile').fill('0690 1');
      await add.getByRole('button', { name: 'Enregistrer' }).click();
      await add.getByText('Numéro de téléphone invalide').waitFor();
      await add.getByLabel('Mobile').fill('0690 12 34 56');
      await add.getByRole('button', { name: 'Enregistrer' }).click();
      const contacts = page.getByRole('region', { name: 'Contacts' });
      await contacts.getByRole('cell', { name: 'Marie LEROY' }).waitFor();
      await contacts.getByRole('cell', { name: '0690 12 34 56' }).waitFor();
      await page.screenshot({ path: '/tmp/web-client-contacts.png', fullPage: true });

      // Found by the number as dialled, and by the contact's name.
      await page.getByRole('link', { name: '← Clients' }).click();
      const search = page.getByLabel('Rechercher (nom, email, téléphone, SIRET)');
      await search.fill('0690');
      await page.getByRole('link', { name: 'Distillerie des Îles' }).waitFor();
      await search.fill('+590 590 82');
      await page.getByRole('link', { name: 'Distillerie des Îles' }).waitFor();
      await search.fill('leroy');
      await page.getByRole('link', { name: 'Distillerie des Îles' }).waitFor();

      // The import wizard says what a company row naming a person becomes.
      await search.fill('');
      await page.getByRole('link', { name: 'Importer' }).click();
      const csv = 'Raison sociale;Prénom;Nom;Téléphone\r\nRhumerie du Sud;Jean;Dupont;0696 45 67 89\r\n;Alice;Durand;0262 21 12 34\r\n';
      await page.getByLabel('Fichier CSV').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      const preview = page.getByRole('table', { name: 'Importé comme' });
      await preview.getByRole('cell', { name: 'Entreprise, contact : Jean Dupont' }).waitFor();
      await preview.getByRole('cell', { name: 'Particulier' }).waitFor();
      await page.getByRole('button', { name: "Simuler l'import" }).click();
      await page.getByText('2 ligne(s) valide(s), 0 en erreur : 2 client(s) à créer, 0 à mettre à jour, 0 doublon(s) ignoré(s), 1 contact(s) ajouté(s) aux entreprises.').waitFor();
      await page.screenshot({ path: '/tmp/web-client-import-contacts.png', fullPage: true });
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-client-contacts-failure.png', fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
