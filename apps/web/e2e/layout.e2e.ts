import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, createPersonClient, signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

/** A phone, a tablet in portrait, a desktop. */
const DEVICES = [
  { name: 'telephone', width: 390, height: 844 },
  { name: 'tablette', width: 820, height: 1180 },
  { name: 'bureau', width: 1440, height: 900 },
] as const;
// Git-ignored (test-results/): looked at by eye in review.
const SHOTS = path.resolve(import.meta.dirname, '..', 'test-results', 'layout');

/** Fully inside the viewport once scrolled to vertically: never off to the side. */
async function expectInViewport(page: Page, target: Locator, what: string) {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.x, what).toBeGreaterThanOrEqual(0);
  // Half a pixel of rounding once scrolled to the very bottom.
  expect(box!.x + box!.width, what).toBeLessThanOrEqual(viewport.width + 1);
  expect(box!.y, what).toBeGreaterThanOrEqual(-1);
  expect(box!.y + box!.height, what).toBeLessThanOrEqual(viewport.height + 1);
}

/** The document is no wider than the window; else the message names the elements that stick out. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth, culprits } = await page.evaluate(() => {
    const width = window.innerWidth;
    const outside = [...document.querySelectorAll<HTMLElement>('body *')].filter((element) => element.getBoundingClientRect().right > width + 0.5);
    // The innermost ones: an element sticking out because of a child is not the culprit.
    const innermost = outside.filter((element) => !outside.some((other) => other !== element && element.contains(other)));
    const describe = (element: HTMLElement) => `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: width, culprits: innermost.slice(0, 5).map(describe) };
  });
  expect(scrollWidth, `${what} scrolls sideways: ${culprits.join(', ')}`).toBeLessThanOrEqual(innerWidth);
}

/**
 * Opens `url` at each width and checks the page fits: the document never scrolls sideways (a wide
 * table scrolls inside its own frame), and the page's primary actions are fully on screen.
 */
async function checkPage(page: Page, name: string, url: string, ready: (page: Page) => Locator, primary: (page: Page) => Locator[]) {
  for (const device of DEVICES) {
    await page.setViewportSize({ width: device.width, height: device.height });
    await page.goto(url);
    await ready(page).waitFor();
    // A page that loads must not greet the person with an error (a list's query refused, say).
    await page.waitForLoadState('networkidle');
    const errors = await page.locator('.notice--error').allTextContents();
    expect(errors, `${name} at ${device.width} px shows an error`).toEqual([]);
    await expectNoSidewaysScroll(page, `${name} at ${device.width} px`);
    for (const action of primary(page)) await expectInViewport(page, action, `${name} at ${device.width} px: ${action.toString()}`);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${device.width}.png`), fullPage: true });
  }
}

describe('every main page fits a phone, a tablet and a desktop', () => {
  it('collapses the navigation into a menu under the desktop width, accessible by keyboard', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Tablette', 'Remi Terrain');
      await page.setViewportSize({ width: 820, height: 1180 });
      const menu = page.getByRole('button', { name: 'Menu' });
      const clients = page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Clients' });
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      // Closed, the drawer is out of sight and out of the keyboard's way.
      await clients.waitFor({ state: 'hidden' });
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await clients.waitFor();
      // The account sits at the end of the menu (no room in the top bar).
      await page.getByRole('navigation', { name: 'Navigation' }).getByRole('button', { name: 'Se déconnecter' }).waitFor();
      // Focus moves into the menu; Escape closes it and gives focus back to the button.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tableau de bord');
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await clients.waitFor({ state: 'hidden' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('navigation');
      // Following a link closes the menu.
      await menu.click();
      await clients.click();
      await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await clients.waitFor({ state: 'hidden' });
      // A desktop shows the sidebar and no menu button.
      await page.setViewportSize({ width: 1440, height: 900 });
      await clients.waitFor();
      expect(await menu.isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('fits the clients, contracts, payments, dashboard and settings pages at 390, 820 and 1440 px, amounts with their period, IBANs masked', async () => {
    await mkdir(SHOTS, { recursive: true });
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      const name = 'Sophie Back-Office';
      await signUp(page, 'Mise en page', name);
      await page.getByRole('link', { name: 'Produits' }).click();
      await page.getByLabel('Code').fill('HAB');
      await page.getByLabel('Nom', { exact: true }).fill('Assurance habitation confort');
      await page.getByLabel('Prix HT (€)').fill('180,00');
      await page.getByLabel('Facturation').selectOption('quarterly');
      await page.getByRole('button', { name: 'Ajouter le produit' }).click();
      await page.getByRole('cell', { name: 'Assurance habitation confort' }).waitFor();
      // A price says its basis and its period.
      await page.getByRole('cell', { name: /^180,00\s€\sHT\s\/ trimestre$/ }).waitFor();
      await createPersonClient(page, 'Jean-Baptiste', 'Delacroix-Montgolfier');
      const clientUrl = new URL(page.url()).pathname;
      const clientId = clientUrl.split('/').pop()!;

      await checkPage(page, 'tableau-de-bord', '/', (p) => p.getByRole('heading', { name: `Bonjour ${name}` }), () => []);
      await checkPage(page, 'clients', '/clients', (p) => p.getByRole('link', { name: /DELACROIX-MONTGOLFIER/ }), (p) => [p.getByRole('link', { name: 'Nouveau client' })]);
      await checkPage(page, 'client', clientUrl, (p) => p.getByRole('heading', { name: /DELACROIX-MONTGOLFIER/ }), (p) => [p.getByRole('link', { name: 'Modifier', exact: true })]);
      await checkPage(page, 'nouveau-client', '/clients/nouveau', (p) => p.getByLabel('Prénom'), (p) => [p.getByRole('button', { name: 'Créer le client' })]);
      await checkPage(page, 'produits', '/produits', (p) => p.getByRole('cell', { name: 'Assurance habitation confort' }), (p) => [p.getByRole('button', { name: 'Ajouter le produit' })]);

      // The wizard, filled, with its schedule preview.
      await checkPage(page, 'assistant-contrat', `/contrats/nouveau?client=${clientId}`, (p) => p.getByLabel('Produit 1'), (p) => [p.getByRole('button', { name: 'Créer le contrat' })]);
      await page.getByLabel('Produit 1').selectOption({ index: 1 });
      await page.getByLabel('IBAN', { exact: true }).fill('FR76 3000 6000 0112 3456 7890 189');
      await page.getByTestId('preview-ttc').filter({ hasText: /^216,00\s€\sTTC\s\/ trimestre$/ }).waitFor();
      // Started late in a quarter: the prorated March and the first whole quarter are both due on
      // 5 April (the organisation's debit day), two debits the wizard announces and explains.
      await page.getByLabel('Date de début').fill('2027-03-10');
      const said = page.getByTestId('debit-summary').getByRole('listitem');
      await said.first().filter({ hasText: /^Le 5 avril 2027, 2 prélèvements/ }).waitFor();
      // Spaces compared as spaces: the browser's Intl picks which non-breaking ones.
      expect((await said.allTextContents()).map((text) => text.replace(/\s/g, ' '))).toEqual([
        'Le 5 avril 2027, 2 prélèvements (268,80 € TTC en tout) : 52,80 € TTC pour la période du 10 mars 2027 au 31 mars 2027, au prorata'
          + ' et 216,00 € TTC pour la période du 1 avr. 2027 au 30 juin 2027. La période entamée et la première période entière sont dues le même jour ;'
          + ' chacune est un prélèvement distinct sur le compte du client.',
        'Ensuite : 216,00 € TTC / trimestre, prélevés le 5 du mois d’échéance à partir du 5 juillet 2027 (2 prélèvements).',
        'Dernier prélèvement : 163,20 € TTC le 5 janvier 2028, pour la période du 1 janv. 2028 au 9 mars 2028, au prorata.',
      ]);
      for (const device of DEVICES) {
        await page.setViewportSize({ width: device.width, height: device.height });
        await expectNoSidewaysScroll(page, `filled wizard at ${device.width} px`);
        await expectInViewport(page, page.getByRole('button', { name: 'Créer le contrat' }), `filled wizard at ${device.width} px`);
        await page.screenshot({ path: path.join(SHOTS, `assistant-contrat-rempli-${device.width}.png`), fullPage: true });
      }
      await page.getByRole('button', { name: 'Créer le contrat' }).click();
      await page.getByRole('heading', { name: /CT-\d{4}-000001/ }).waitFor();
      const contractUrl = new URL(page.url()).pathname;
      // The IBAN is masked; the back office shows it whole on purpose.
      const iban = page.getByTestId('iban');
      expect(await iban.textContent()).toBe('FR76 •••• 0189');
      await page.getByRole('button', { name: 'Afficher l’IBAN complet' }).click();
      expect(await iban.textContent()).toBe('FR76 3000 6000 0112 3456 7890 189');
      await page.getByRole('button', { name: 'Masquer l’IBAN' }).click();
      expect(await iban.textContent()).toBe('FR76 •••• 0189');

      await checkPage(page, 'contrat-brouillon', contractUrl, (p) => p.getByRole('heading', { name: /CT-\d{4}-000001/ }),
        (p) => [p.getByRole('link', { name: 'Modifier', exact: true }), p.getByRole('button', { name: 'Envoyer pour signature' })]);
      await checkPage(page, 'contrats', '/contrats', (p) => p.getByRole('link', { name: /CT-\d{4}-000001/ }), (p) => [p.getByRole('link', { name: 'Nouveau contrat' })]);
      // The list compares contracts billed differently: the amount, its period, and per month.
      await page.getByRole('cell', { name: /^216,00\s€\sTTC\s\/ trimestre\s*soit 72,00\s€\sTTC\s\/ mois$/ }).waitFor();
      await page.goto(contractUrl);
      await page.getByRole('button', { name: 'Envoyer pour signature' }).click();
      await confirmInDialog(page, 'Envoyer pour signature');
      await page.locator('.badge', { hasText: 'Envoyé pour signature' }).waitFor();
      await checkPage(page, 'signature', `${contractUrl}/signature`, (p) => p.getByLabel('Nom du signataire'), (p) => [p.getByRole('button', { name: 'Signer le contrat' })]);
      await page.getByLabel('Nom du signataire').fill('Jean-Baptiste Delacroix-Montgolfier');
      await page.getByLabel('Lieu de signature').fill('Chambéry');
      await page.getByLabel(/je le signe électroniquement/).check();
      await page.getByRole('button', { name: 'Signer le contrat' }).click();
      await page.locator('.badge', { hasText: 'Signé' }).waitFor();
      await checkPage(page, 'contrat-signe', contractUrl, (p) => p.locator('.badge', { hasText: 'Signé' }), (p) => [p.getByRole('button', { name: 'Activer' })]);

      await checkPage(page, 'prelevements', '/prelevements', (p) => p.getByLabel('Date de prélèvement'), (p) => [p.getByRole('button', { name: 'Générer le lot' })]);
      await checkPage(page, 'paiements', '/paiements', (p) => p.getByRole('heading', { name: 'Paiements', level: 1 }), () => []);
      await checkPage(page, 'factures', '/factures', (p) => p.getByRole('heading', { name: 'Factures et avoirs', level: 1 }), (p) => [p.getByRole('button', { name: 'Préparer les factures des échéances' })]);
      await checkPage(page, 'facturation', '/parametres/facturation', (p) => p.getByLabel('Ville du RCS'), () => []);
      await checkPage(page, 'courriels', '/courriels', (p) => p.getByRole('heading', { name: 'Courriels aux clients', level: 1 }), () => []);
      await checkPage(page, 'mandats', '/mandats', (p) => p.getByText(/RUM-\d{4}-000001/), () => []);
      expect(await page.getByTestId('iban').textContent()).toBe('FR76 •••• 0189');
      await checkPage(page, 'retours-bancaires', '/retours-bancaires', (p) => p.getByRole('button', { name: 'Choisir un fichier' }), (p) => [p.getByRole('button', { name: 'Choisir un fichier' })]);
      await checkPage(page, 'parametres', '/parametres/organisation', (p) => p.getByLabel('Jour de prélèvement'), (p) => [p.getByRole('button', { name: 'Enregistrer' })]);
      await checkPage(page, 'membres', '/parametres/membres', (p) => p.getByRole('cell', { name }), () => []);
      await checkPage(page, 'invitations', '/parametres/invitations', (p) => p.getByRole('button', { name: "Créer l'invitation" }), (p) => [p.getByRole('button', { name: "Créer l'invitation" })]);
      await checkPage(page, 'listes', '/parametres/listes', (p) => p.getByRole('heading', { name: 'Paramètres', level: 1 }), () => []);
      await checkPage(page, 'referentiel', '/parametres/referentiel', (p) => p.getByRole('heading', { name: 'Paramètres', level: 1 }), () => []);
      await checkPage(page, 'taches', '/taches', (p) => p.getByRole('heading', { name: 'Mes tâches', level: 1 }), () => []);
      await checkPage(page, 'agenda', '/agenda', (p) => p.getByRole('heading', { name: 'Agenda', level: 1 }), (p) => [p.getByRole('button', { name: 'Nouveau rendez-vous' })]);
      await checkPage(page, 'agenda-mois', '/agenda?vue=month', (p) => p.getByRole('heading', { name: 'Agenda', level: 1 }), (p) => [p.getByRole('button', { name: 'Nouveau rendez-vous' })]);
      await checkPage(page, 'commerciaux', '/commerciaux', (p) => p.getByRole('heading', { name: 'Commerciaux', level: 1 }), (p) => [p.getByRole('button', { name: 'Ajouter le commercial' })]);
      await checkPage(page, 'import-clients', '/clients/import', (p) => p.getByRole('heading', { name: 'Importer des clients', level: 1 }), () => []);

      // A state change says what will happen, in the app's dialog: the first debit to come.
      await page.goto(contractUrl);
      await page.getByRole('region', { name: 'Échéancier', exact: true }).getByText('5 avr. 2027').first().waitFor();
      await page.getByRole('button', { name: 'Activer' }).click();
      await page.getByRole('dialog').getByText('Le contrat devient actif : le client sera prélevé à partir du 5 avril 2027.').waitFor();
      await confirmInDialog(page, 'Activer');
      await page.locator('.badge', { hasText: 'Actif' }).first().waitFor();
    } finally {
      await context.close();
    }
  }, 420_000);
});
