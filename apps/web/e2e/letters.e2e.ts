import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

/** A small real PDF (two pages): what Maileva's fake opens to count sheets. */
function twoPagePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe('letters through Maileva (the local fake)', () => {
  it('sends a client document by registered post with AR, then shows its trail, cost and proofs', { timeout: 240_000 }, async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signUp(page, 'Courriers');
      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('link', { name: 'Nouveau client' }).click();
      await page.getByLabel('Prénom').fill('Hélène');
      await page.getByLabel('Nom de famille').fill('Lefèvre');
      await page.getByLabel('Adresse', { exact: true }).fill('12 rue de la Paix');
      await page.getByLabel('Code postal').fill('75002');
      await page.getByLabel('Ville').fill('Paris');
      await page.getByRole('button', { name: 'Créer le client' }).click();
      await page.getByRole('heading', { name: /LEFÈVRE Hélène/ }).waitFor();

      const documents = page.getByRole('region', { name: 'Documents' });
      await documents.getByLabel('Type de document').selectOption('other');
      await documents.locator('input[type=file]').setInputFiles({ name: 'mise en demeure.pdf', mimeType: 'application/pdf', buffer: twoPagePdf() });
      await page.getByText('« mise en demeure.pdf » ajouté.').waitFor();
      const row = documents.getByRole('row', { name: /mise en demeure\.pdf/ });
      await row.getByRole('button', { name: 'Envoyer par courrier' }).click();
      const form = page.getByRole('form', { name: 'Envoyer « mise en demeure.pdf » par courrier' });
      expect(await form.getByLabel('Service').inputValue()).toBe('registered_with_ack');
      expect(await form.getByLabel('Impression en couleur (plus chère)').isChecked()).toBe(false);
      expect(await form.getByLabel('Recto verso').isChecked()).toBe(true);
      await form.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await page.getByText('Courrier enregistré : il part dans quelques instants').waitFor();

      await page.getByRole('link', { name: 'Courriers postaux' }).click();
      await page.getByRole('heading', { name: 'Courriers postaux' }).waitFor();
      const letter = page.getByRole('row', { name: /LEFÈVRE Hélène/ });
      await letter.getByText('Recommandée avec avis de réception').waitFor();
      // The fake moves a step every 1.5 s and calls the webhook: printed, delivered, AR signed, archived.
      const deadline = Date.now() + 150_000;
      while ((await letter.getByRole('button', { name: 'Copie archivée' }).count()) === 0) {
        if (Date.now() > deadline) throw new Error(`the letter did not reach its archive: ${await letter.innerText()}`);
        await page.waitForTimeout(1_000);
        await page.reload();
        await letter.waitFor(); // the list answered: the row is there again
      }
      await letter.getByText('Avis de réception signé', { exact: true }).waitFor();
      await letter.getByText('6,35 €').waitFor();
      await letter.getByText('simulation locale').waitFor();
      await letter.getByRole('button', { name: 'Preuve de dépôt' }).waitFor();
      const [proof] = await Promise.all([page.waitForEvent('download'), letter.getByRole('button', { name: 'Avis de réception' }).click()]);
      expect(proof.suggestedFilename()).toMatch(/^avis-de-reception-.*\.pdf$/);
      await letter.getByText('Suivi').click();
      await letter.getByText(/Transmis à Maileva/).waitFor();
      await letter.getByText(/Distribué/).waitFor();
      await page.screenshot({ path: '/tmp/web-letters.png', fullPage: true });

      // The client's timeline says it too.
      await letter.getByRole('link', { name: /LEFÈVRE Hélène/ }).click();
      await page.getByText(/Lettre recommandée avec AR : mise en demeure\.pdf/).waitFor();
    } finally {
      await context.close();
    }
  });
});
