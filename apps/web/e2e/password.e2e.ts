import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();
const unique = () => randomBytes(4).toString('hex');

async function fill(page: Page, label: string, value: string) {
  await page.getByLabel(label, { exact: true }).fill(value);
}

describe('passwords, as a person uses them', () => {
  // Retried once: in 2 of 4 full browser runs on 2026-12-07 (never alone), the page after "Recevoir
  // un lien" did not show its answer within 30 s. Not understood yet (suspects: a token refresh in
  // flight that re-opens the session after logout, so the guest-only page redirects; or the API's
  // pool); each attempt uses its own account.
  it('resets a forgotten password from the mailed link, then changes it while signed in', { retry: 1, timeout: 120_000 }, async () => {
    const owner = { email: `reset.${unique()}@example.test`, password: 'un mot de passe solide', name: 'Marc Petit' };
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.18.201.1' });
      await page.goto('/inscription');
      await fill(page, "Nom de l'entreprise", `Cabinet ${unique()}`);
      await fill(page, 'Votre nom', owner.name);
      await fill(page, 'Email', owner.email);
      await fill(page, 'Mot de passe', owner.password);
      await page.getByRole('button', { name: 'Créer mon compte' }).click();
      await page.getByRole('heading', { name: 'Vérifiez votre boîte mail' }).waitFor();
      await page.getByRole('link', { name: 'Courriers envoyés' }).click();
      await page.getByRole('article', { name: `Confirmez votre adresse pour activer votre compte — ${owner.email}` }).getByRole('link', { name: 'Ouvrir le lien' }).click();
      await page.getByRole('heading', { name: `Bonjour ${owner.name}` }).waitFor();
      await page.getByRole('button', { name: 'Se déconnecter' }).click();

      // Forgotten: the login page leads to the request, the mail to the new password.
      await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
      await fill(page, 'Email', owner.email);
      await page.getByRole('button', { name: 'Recevoir un lien' }).click();
      await page.getByRole('heading', { name: 'Vérifiez votre boîte mail' }).waitFor();
      await page.getByRole('link', { name: 'Courriers envoyés' }).click();
      await page.getByRole('article', { name: `Réinitialisation de votre mot de passe — ${owner.email}` }).getByRole('link', { name: 'Ouvrir le lien' }).click();
      await page.getByRole('heading', { name: 'Nouveau mot de passe' }).waitFor();
      await fill(page, 'Nouveau mot de passe', 'un tout nouveau mot de passe');
      await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await page.getByText('Votre mot de passe est changé').waitFor();
      await page.getByRole('link', { name: 'Se connecter' }).click();
      await fill(page, 'Email', owner.email);
      await fill(page, 'Mot de passe', owner.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByText('Email ou mot de passe incorrect').waitFor();
      await fill(page, 'Mot de passe', 'un tout nouveau mot de passe');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: `Bonjour ${owner.name}` }).waitFor();

      // Changed while signed in: the current one is required.
      await page.getByRole('link', { name: owner.name }).click();
      await page.getByRole('heading', { name: 'Changer de mot de passe' }).waitFor();
      await fill(page, 'Mot de passe actuel', 'pas le bon');
      await fill(page, 'Nouveau mot de passe', 'encore un autre mot de passe');
      await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
      await page.getByText('Mot de passe actuel incorrect').first().waitFor();
      await fill(page, 'Mot de passe actuel', 'un tout nouveau mot de passe');
      await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
      await page.getByText('Mot de passe changé.').waitFor();
    } finally {
      await context.close();
    }
  });
});
