import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('client import, as the back office uses it', () => {
  it('imports a Windows-1252 CSV: one bad row reported, the others imported by the worker with a progress bar', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Import');

      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('link', { name: 'Importer' }).click();
      await page.getByRole('heading', { name: 'Importer des clients' }).waitFor();
      // What French Excel saves: Windows-1252, ';'. Row 3 has a bad email.
      const csv = 'Prénom;Nom;Email;Ville\r\nHélène;Lefèvre;helene@example.test;\r\nLuc;Bernard;pas-un-email;\r\nZoé;Dubois;zoe@example.test;\r\n';
      await page.getByLabel('Fichier CSV').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
      await page.getByText('Windows-1252 (Excel)').waitFor();
      await page.getByText('point-virgule (;)').waitFor();
      await page.getByRole('cell', { name: 'Hélène' }).waitFor();
      expect(await page.getByLabel('Champ pour la colonne « Email »').inputValue()).toBe('email');
      // "Ville" without an address: leave it out.
      await page.getByLabel('Champ pour la colonne « Ville »').selectOption('');

      await page.getByRole('button', { name: "Simuler l'import" }).click();
      await page.getByText('2 ligne(s) valide(s), 1 en erreur').waitFor();
      const errors = page.getByRole('table', { name: 'Lignes en erreur' });
      await errors.getByRole('row', { name: /3\s+Email\s+Email invalide/ }).waitFor();
      await page.screenshot({ path: '/tmp/web-client-import-dry-run.png' });

      await page.getByRole('button', { name: "Lancer l'import (2 clients)" }).click();
      await page.getByText('Import terminé : 2 client(s) importé(s), 0 mis à jour, 0 ignoré(s).').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('progressbar', { name: "Progression de l'import" }).getAttribute('value')).toBe('2');
      await page.getByRole('link', { name: 'Retour aux clients' }).first().click();
      await page.getByRole('link', { name: 'LEFÈVRE Hélène' }).waitFor();
      await page.getByRole('link', { name: 'DUBOIS Zoé' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
