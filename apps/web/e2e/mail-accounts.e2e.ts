import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

// Paramètres > Messagerie and > Modèles de courriels, in French: what the server offers (no OAuth
// provider is configured here: the page says so), an SMTP account connected and chosen as the
// organisation's sender, and a template reworded with its preview (and an unknown variable refused).
describe('mail accounts and templates in the settings', () => {
  it('connects an SMTP account, makes it the sender, and previews a reworded template', { timeout: 150_000 }, async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Messagerie', 'Marie Messagerie');
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByRole('link', { name: 'Messagerie', exact: true }).click();
      await page.waitForURL(/\/parametres\/messagerie$/);
      await page.getByText('La connexion d’un compte Google n’est pas configurée sur ce serveur.').waitFor();
      expect(await page.getByRole('button', { name: 'Connecter un compte Google' }).isDisabled()).toBe(true);
      await page.getByText('Aucun compte connecté.').waitFor();

      const form = page.getByRole('form', { name: 'Ou un compte SMTP' });
      await form.getByLabel('Adresse d’envoi').fill('compta@messagerie.example.test');
      await form.getByLabel('Serveur SMTP').fill('smtp.messagerie.example.test');
      await form.getByLabel('Identifiant').fill('compta');
      await form.getByLabel('Mot de passe').fill('un secret SMTP');
      await form.getByRole('button', { name: 'Enregistrer le compte SMTP' }).click();
      const row = page.getByRole('row', { name: /compta@messagerie\.example\.test/ });
      await row.getByText('Connecté').waitFor();
      expect(await row.innerText()).toContain('smtp.messagerie.example.test:587');

      await page.getByLabel('Expéditeur', { exact: true }).selectOption({ label: 'compta@messagerie.example.test (SMTP, Marie Messagerie)' });
      await page.getByText('Modifications enregistrées').waitFor();
      await row.getByText('expéditeur de l’organisation').waitFor();
      // The password never comes back to the browser.
      expect(await page.content()).not.toContain('un secret SMTP');

      await page.getByRole('link', { name: 'Modèles de courriels' }).click();
      await page.getByLabel('Objet').fill('Bienvenue, {{client.nom}} !');
      await page.getByLabel('Texte').fill('{{salutation}}\n\nBienvenue chez {{organisation.nom}} : <nous> & vous.');
      await page.getByRole('button', { name: 'Aperçu' }).click();
      await page.getByTestId('preview-subject').getByText('Bienvenue, Jean Dupont !').waitFor();
      await page.getByText('Version texte').click();
      expect(await page.getByTestId('preview-text').innerText()).toMatch(/^Bonjour Jean Dupont,\n\nBienvenue chez Messagerie [0-9a-f]{6} : <nous> & vous\.\n?$/);
      // The HTML part shows the text as written (escaped), in a sandboxed frame.
      const html = page.frameLocator('iframe[title="Version HTML"]');
      await html.getByText('<nous> & vous', { exact: false }).waitFor();

      await page.getByLabel('Texte').fill('Bonjour {{client.prenom}}');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByText('Variable inconnue : {{client.prenom}}').waitFor();
    } finally {
      await context.close();
    }
  });
});
