import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const databaseUrl = inject('databaseUrl');
const browser = useBrowser();
// pg is the database package's dependency, not the web app's: loaded from there, typed by what is used.
interface PgClient {
  connect(): Promise<void>;
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
const pg = createRequire(path.resolve(import.meta.dirname, '../../../packages/db/package.json'))('pg') as { Client: new (config: { connectionString: string }) => PgClient };

/** The token of the signing link mailed to `recipient`, read from the queued mail (as the client's mailbox would show it). */
async function mailedSigningToken(recipient: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT set_config('app.system', 'on', false)");
    const { rows } = await client.query<{ text_body: string }>(
      "SELECT text_body FROM outgoing_effects WHERE template = 'contract-signing-link' AND recipient = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
      [recipient],
    );
    const match = /\/signature#(\S+)/.exec(rows[0]?.text_body ?? '');
    if (!match) throw new Error(`no signing link mailed to ${recipient}`);
    return match[1]!;
  } finally {
    await client.end();
  }
}

/** A product, a client (with `email` when given) and a SEPA contract for them, through the pages; sent for signature. */
async function sentContract(page: Page, client: { firstName: string; lastName: string; email?: string }): Promise<string> {
  // By address: at tablet width the navigation is folded away.
  await page.goto('/produits');
  await page.getByLabel('Code').fill('ASSUR');
  await page.getByLabel('Nom', { exact: true }).fill('Assurance habitation');
  await page.getByLabel('Prix HT (€)').fill('20,00');
  await page.getByRole('button', { name: 'Ajouter le produit' }).click();
  await page.getByRole('cell', { name: 'Assurance habitation' }).waitFor();

  await page.goto('/clients/nouveau');
  await page.getByLabel('Prénom').fill(client.firstName);
  await page.getByLabel('Nom de famille').fill(client.lastName);
  if (client.email) await page.getByLabel('Email', { exact: true }).fill(client.email);
  await page.getByRole('button', { name: 'Créer le client' }).click();
  await page.getByRole('heading', { name: new RegExp(client.lastName.toUpperCase()) }).waitFor();

  await page.getByRole('link', { name: 'Nouveau contrat' }).click();
  await page.getByRole('heading', { name: 'Nouveau contrat', level: 1 }).waitFor();
  await page.getByLabel('Produit 1').selectOption({ index: 1 });
  await page.getByLabel('IBAN', { exact: true }).fill('FR76 3000 6000 0112 3456 7890 189');
  await page.getByText('IBAN valide').waitFor();
  await page.getByRole('button', { name: 'Créer le contrat' }).click();
  await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
  await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
  // The dialog says what will happen, the link by mail included.
  await page.getByRole('dialog').getByText(/lien personnel pour signer à distance/).waitFor();
  await confirmInDialog(page, 'Envoyer pour signature');
  await page.locator('.badge', { hasText: 'Envoyé pour signature' }).waitFor();
  return new URL(page.url()).pathname;
}

describe('signing a contract the client can trust', () => {
  it('at a distance: the mailed link opens a public page with the contract, the mandate and the schedule, signs once, and the rep sees it', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const clientContext = await browser().newContext({ baseURL, locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const client = await clientContext.newPage();
    // The client's own address (the API trusts the loopback proxy's X-Forwarded-For): its own throttle.
    await client.setExtraHTTPHeaders({ 'x-forwarded-for': '198.19.7.7' });
    try {
      await signUp(page, 'Signature à distance');
      const email = `elodie.${Date.now()}@example.test`;
      const contractUrl = await sentContract(page, { firstName: 'Élodie', lastName: 'Lefèvre', email });
      await page.getByTestId('signing-link-status').filter({ hasText: `Lien de signature envoyé à ${email}` }).waitFor();

      // The client, with no account, on a phone: the link is the only credential.
      const token = await mailedSigningToken(email);
      await client.goto(`/signature#${token}`);
      await client.getByRole('heading', { name: 'Signature de votre contrat' }).waitFor();
      // The first public call builds the page's data server-side: on a loaded machine it takes a while.
      const intro = client.getByText(/vous invite à lire et à signer le contrat n° CT-/);
      await intro.waitFor({ timeout: 90_000 }).catch(async (error: unknown) => {
        throw new Error(`signing page never showed the contract; it shows: ${(await client.locator('main').textContent()) ?? ''}`, { cause: error });
      });
      // The token leaves the address bar at once.
      expect(new URL(client.url()).hash).toBe('');
      await client.getByRole('region', { name: 'Mandat de prélèvement SEPA' }).getByText('vous autorisez (A)', { exact: false }).waitFor();
      expect(await client.getByTestId('mandate-account').textContent()).toContain('FR76 •••• 0189');
      expect(await client.content()).not.toContain('3000 6000 0112');
      await client.getByRole('region', { name: 'Échéancier des prélèvements' }).getByText('24,00', { exact: false }).first().waitFor();
      await client.getByRole('region', { name: 'Droit de rétractation' }).waitFor();
      expect(await client.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      await client.getByLabel('Nom du signataire').fill('Jean Dupont');
      const shown = await client.getByTestId('signature-consent').textContent();
      await client.getByLabel(/je le signe électroniquement/).check();
      await client.getByRole('button', { name: 'Signer le contrat' }).click();
      await client.getByText(/Saisissez le nom du client/).waitFor();
      await client.getByLabel('Nom du signataire').fill('elodie LEFEVRE');
      // The client has no address on file: the mandate needs where it is signed.
      await client.getByLabel('Lieu de signature').fill('Annecy');
      await client.getByRole('button', { name: 'Signer le contrat' }).click();
      await client.getByText(/le contrat CT-\d{4}-000001 est signé/).waitFor();

      // Used once: opened again (from the mail, in a new tab), the link answers like any unknown link.
      const again = await clientContext.newPage();
      await again.setExtraHTTPHeaders({ 'x-forwarded-for': '198.19.7.7' });
      await again.goto(`/signature#${token}`);
      await again.getByText(/Ce lien de signature est invalide, expiré ou a déjà servi/).waitFor({ timeout: 90_000 }).catch(async (error: unknown) => {
        throw new Error(`the used link's page shows: ${(await again.locator('main').textContent()) ?? ''}`, { cause: error });
      });

      // The rep's page: signed, with the evidence the client was shown, byte for byte.
      await page.goto(contractUrl);
      await page.locator('.badge', { hasText: 'Signé' }).waitFor();
      await page.getByText(/Signé le .* par elodie LEFEVRE \(Annecy\)/).waitFor();
      expect(await page.getByTestId('signature-consent-stored').textContent()).toBe(shown);
      // The rep is told by a notification that the client signed at a distance.
      await page.getByRole('button', { name: /Notifications/ }).click();
      await page.getByText(/a signé à distance, par le lien reçu par e-mail, le contrat CT-/).waitFor({ timeout: 30_000 });
    } finally {
      await clientContext.close();
      await context.close();
    }
  });

  it('in the hand-over mode on a tablet: full screen without the back office, left only with the rep\'s password', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', viewport: { width: 820, height: 1180 } });
    const page = await context.newPage();
    try {
      const rep = await signUp(page, 'Mode client');
      const contractUrl = await sentContract(page, { firstName: 'Marc', lastName: 'Rivière' });
      await page.getByRole('link', { name: 'Faire signer' }).click();
      await page.getByRole('button', { name: 'Passer la tablette au client' }).click();
      const handOver = page.getByTestId('hand-over');
      await handOver.getByRole('heading', { name: /Votre contrat CT-/ }).waitFor();
      // Nothing of the back office around it: the layer covers the whole screen, the navigation included.
      const covered = await page.evaluate(() =>
        [[10, 10], [10, 600], [410, 1100], [810, 10]].every(([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid="hand-over"]') !== null),
      );
      expect(covered).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
      // The client reads the mandate with the IBAN (masked, nothing to reveal) and the schedule before signing.
      await handOver.getByRole('region', { name: 'Mandat de prélèvement SEPA' }).waitFor();
      expect(await handOver.getByTestId('mandate-account').textContent()).toContain('FR76 •••• 0189');
      await expect(handOver.getByRole('button', { name: /Afficher l.IBAN complet/ }).count()).resolves.toBe(0);
      await handOver.getByRole('region', { name: 'Échéancier prévu' }).waitFor();

      // Back stays on the client's screen.
      await page.goBack();
      await handOver.waitFor();

      // A wrong password keeps the mode.
      await handOver.getByRole('button', { name: 'Rendre la main au conseiller' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Mot de passe du conseiller').fill('pas le bon mot de passe');
      await dialog.getByRole('button', { name: 'Rendre la main au conseiller' }).click();
      await handOver.getByText('Mot de passe incorrect : la tablette reste en mode client.').waitFor();

      const shown = await handOver.getByTestId('signature-consent').textContent();
      await handOver.getByLabel('Nom du signataire').fill('Marc Riviere');
      await handOver.getByLabel('Lieu de signature').fill('Chambéry');
      await handOver.getByLabel(/je le signe électroniquement/).check();
      await handOver.getByRole('button', { name: 'Signer le contrat' }).click();
      await handOver.getByText('Merci, votre contrat est signé.').waitFor();
      await page.screenshot({ path: '/tmp/web-hand-over-820.png', fullPage: false });

      await handOver.getByRole('button', { name: 'Rendre la main au conseiller' }).click();
      await dialog.getByLabel('Mot de passe du conseiller').fill(rep.password);
      await dialog.getByRole('button', { name: 'Rendre la main au conseiller' }).click();
      await handOver.waitFor({ state: 'detached' });
      await page.waitForURL((url) => url.pathname === contractUrl);
      await page.locator('.badge', { hasText: 'Signé' }).waitFor();
      expect(await page.getByTestId('signature-consent-stored').textContent()).toBe(shown);
    } finally {
      await context.close();
    }
  });
});
