import { describe, expect, inject, it } from 'vitest';
import { createPersonClient, signUp, useBrowser, confirmInDialog } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

describe('documents on the client page', () => {
  it('uploads an identity document, downloads it, refuses an executable, deletes it', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signUp(page, 'Documents');
      await createPersonClient(page, 'Hélène', 'Lefèvre');
      await page.getByText('Aucun document pour le moment.').waitFor();

      const documents = page.getByRole('region', { name: 'Documents' });
      await documents.getByLabel('Type de document').selectOption('identity');
      await documents.locator('input[type=file]').setInputFiles({ name: 'carte d’identité.pdf', mimeType: 'application/pdf', buffer: PDF });
      await page.getByText('« carte d’identité.pdf » ajouté.').waitFor();
      const row = documents.getByRole('row', { name: /carte d’identité\.pdf/ });
      await row.getByText("Pièce d'identité").waitFor();

      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Télécharger' }).click()]);
      expect(download.suggestedFilename()).toBe('carte d’identité.pdf');

      await documents.locator('input[type=file]').setInputFiles({ name: 'facture.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not really a pdf', 'latin1') });
      await page.getByText('Fichier exécutable refusé : seuls les PDF et les images PNG, JPEG ou WebP sont acceptés').waitFor();
      await page.screenshot({ path: '/tmp/web-documents.png', fullPage: true });

      // Escape says no: the dialog closes and the document stays.
      await row.getByRole('button', { name: 'Supprimer' }).click();
      await page.getByRole('dialog').getByRole('heading', { name: /Supprimer « carte d’identité\.pdf » \?/ }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await row.waitFor();
      await row.getByRole('button', { name: 'Supprimer' }).click();
      await confirmInDialog(page, 'Supprimer');
      await page.getByText('Aucun document pour le moment.').waitFor();
    } finally {
      await context.close();
    }
  });
});
