import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium, headless; Playwright never downloads a browser here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** One browser for a test file: launched before its tests, closed after. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/**
 * Signs a new person up through the page, in an organisation of their own (a fresh tenant per
 * test file), and waits for the home page that greets them.
 */
export async function signUp(page: Page, organisation: string, name = 'Alice Bernard'): Promise<void> {
  await page.goto('/inscription');
  await page.getByLabel("Nom de l'entreprise").fill(`${organisation} ${randomBytes(3).toString('hex')}`);
  await page.getByLabel('Votre nom', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(`${name.split(' ')[0]!.toLowerCase()}.${randomBytes(4).toString('hex')}@example.test`);
  await page.getByLabel('Mot de passe', { exact: true }).fill('un mot de passe solide');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { name: `Bonjour ${name}` }).waitFor();
}

/** Creates a person through the client form and waits for their page. */
export async function createPersonClient(page: Page, firstName: string, lastName: string): Promise<void> {
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'Nouveau client' }).click();
  await page.getByLabel('Prénom').fill(firstName);
  await page.getByLabel('Nom de famille').fill(lastName);
  await page.getByRole('button', { name: 'Créer le client' }).click();
  await page.getByRole('heading', { name: new RegExp(`${lastName.toUpperCase()} ${firstName}`) }).waitFor();
}
