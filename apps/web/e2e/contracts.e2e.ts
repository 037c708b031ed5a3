import { describe, expect, inject, it } from 'vitest';
import { createPersonClient, signUp, useBrowser, confirmInDialog } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('contracts, from the client to the signature', () => {
  it('creates a contract with a product through the wizard, sends it and has it signed on the signing page', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signUp(page, 'Contrats');
      await page.getByRole('link', { name: 'Produits' }).click();
      await page.getByLabel('Code').fill('ELEC');
      await page.getByLabel('Nom', { exact: true }).fill('Électricité verte');
      await page.getByLabel('Prix HT (€)').fill('49,90');
      await page.getByRole('button', { name: 'Ajouter le produit' }).click();
      await page.getByRole('cell', { name: 'Électricité verte' }).waitFor();

      await createPersonClient(page, 'Hélène', 'Lefèvre');
      await page.getByText('Aucun contrat.').waitFor();

      await page.getByRole('link', { name: 'Nouveau contrat' }).click();
      // The wizard, not the client page it comes from (whose timeline also names the client).
      await page.getByRole('heading', { name: 'Nouveau contrat', level: 1 }).waitFor();
      await page.getByText('LEFÈVRE Hélène').waitFor();
      await page.getByLabel('Produit 1').selectOption({ index: 1 });
      await page.getByLabel('Quantité 1').fill('2');
      await page.getByLabel('IBAN', { exact: true }).fill('FR76 3000 6000 0112 3456 7890 188');
      await page.getByText('IBAN invalide').waitFor();
      await page.getByLabel('IBAN', { exact: true }).fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByText('IBAN valide').waitFor();
      // 2 x 49,90 = 99,80 HT + 19,96 TVA
      await page.getByTestId('preview-ttc').filter({ hasText: '119,76' }).waitFor();
      await page.getByRole('button', { name: 'Créer le contrat' }).click();
      const heading = page.getByRole('heading', { name: /CT-\d{4}-000001/ });
      await heading.waitFor();
      const contractUrl = new URL(page.url()).pathname;
      await page.locator('.badge', { hasText: 'Brouillon' }).waitFor();
      // Scoped to the lines: the schedule preview below repeats the monthly amount.
      await page.getByRole('table', { name: 'Lignes du contrat' }).getByRole('cell', { name: '119,76' }).waitFor();

      await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
      await confirmInDialog(page, 'Envoyer pour signature');
      await page.locator('.badge', { hasText: 'Envoyé pour signature' }).waitFor();
      await page.getByRole('link', { name: 'Faire signer' }).click();
      await page.getByRole('heading', { name: /Signature du contrat CT-/ }).waitFor();
      await page.getByLabel('Nom du signataire').fill('Pierre Martin');
      // The sentence shown is the API's (legal-texts.ts): after signing, the evidence must hold it byte for byte.
      const shown = await page.getByTestId('signature-consent').textContent();
      expect(shown).toMatch(/je le signe électroniquement/);
      await page.getByLabel(/je le signe électroniquement/).check();
      await page.getByRole('button', { name: 'Signer le contrat' }).click();
      await page.getByText(/Saisissez le nom du client/).waitFor();
      // The client has no address: the mandate needs where it is signed.
      await page.getByLabel('Nom du signataire').fill('Hélène Lefevre');
      await page.getByRole('button', { name: 'Signer le contrat' }).click();
      await page.getByText(/Lieu de signature requis/).first().waitFor();
      await page.getByLabel('Lieu de signature').fill('Annecy');
      await page.getByRole('button', { name: 'Signer le contrat' }).click();
      await page.locator('.badge', { hasText: 'Signé' }).waitFor();
      await page.getByText(/Signé le .* par Hélène Lefevre \(Annecy\)/).waitFor();
      // What the signer was shown is what the signature's evidence keeps (served from the stored row).
      expect(await page.getByTestId('signature-consent-stored').textContent()).toBe(shown);
      // A consumer contract: the withdrawal deadline, 14 days on (or the next working day).
      await page.getByText(/Rétractation/).first().waitFor();
      await page.getByText(/Possible jusqu’au \d{1,2} \S+ \d{4} inclus/).waitFor();
      await page.screenshot({ path: '/tmp/web-contract-signed.png', fullPage: true });

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Contrat (PDF)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^contrat-CT-\d{4}-000001-signe\.pdf$/);

      await page.getByRole('link', { name: 'Contrats' }).first().click();
      await page.getByRole('link', { name: /CT-\d{4}-000001/ }).waitFor();

      // The whole IBAN reaches only who writes contracts: the owner may reveal it; a viewer receives it masked, with nothing to reveal.
      await page.goto(contractUrl);
      await page.getByRole('button', { name: /Afficher l.IBAN complet/ }).click();
      await page.getByTestId('iban').filter({ hasText: 'FR76 3000 6000 0112 3456 7890 189' }).waitFor();
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByRole('link', { name: 'Invitations' }).click();
      await page.getByLabel('Email de la personne', { exact: true }).fill(`lecteur.${Date.now()}@example.test`);
      await page.getByLabel('Rôle').selectOption('viewer');
      await page.getByRole('button', { name: "Créer l'invitation" }).click();
      const link = (await page.getByTestId('invitation-link').textContent())!;
      const viewerContext = await browser().newContext({ baseURL, locale: 'fr-FR' });
      try {
        const viewer = await viewerContext.newPage();
        await viewer.goto(link);
        await viewer.getByLabel('Votre nom', { exact: true }).fill('Victor Lecteur');
        await viewer.getByLabel('Mot de passe', { exact: true }).fill('mot de passe du lecteur');
        await viewer.getByRole('button', { name: "Accepter l'invitation" }).click();
        await viewer.getByRole('heading', { name: 'Bonjour Victor Lecteur' }).waitFor();
        // What the server sends the viewer, not only what the page shows: no whole IBAN in any answer.
        const answers: Promise<string>[] = [];
        viewer.on('response', (response) => {
          if (response.url().includes('contracts.get')) answers.push(response.text());
        });
        await viewer.goto(contractUrl);
        await viewer.getByTestId('iban').filter({ hasText: 'FR76 •••• 0189' }).waitFor();
        const bodies = await Promise.all(answers);
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) expect(body).not.toContain('FR7630006000011234567890189');
        expect(bodies.join('')).toContain('FR76 •••• 0189');
        expect(await viewer.getByRole('button', { name: /Afficher/ }).count()).toBe(0);
        expect(await viewer.content()).not.toContain('3456 7890');
      } finally {
        await viewerContext.close();
      }
    } finally {
      await context.close();
    }
  });
});
