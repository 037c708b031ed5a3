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
 * Signs a new person up through the pages, as a newcomer on the embedded defaults does it: the
 * form, "check your mailbox", the captured mail ("Courriers envoyés"), the link in it, and the
 * home page that greets them, in an organisation of their own (a fresh tenant per test).
 * Each person comes from an address of their own: the API trusts the loopback proxy (the test)
 * for X-Forwarded-For, as behind a reverse proxy, so the per-IP sign-up limit is per person.
 */
export async function signUp(
  page: Page,
  organisation: string,
  name = 'Alice Bernard',
  account: { email?: string; password?: string } = {},
): Promise<{ email: string; password: string }> {
  const email = account.email ?? `${name.split(' ')[0]!.toLowerCase()}.${randomBytes(4).toString('hex')}@example.test`;
  const password = account.password ?? 'un mot de passe solide';
  const [a, b] = randomBytes(2);
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': `198.18.${a!}.${b!}` });
  await page.goto('/inscription');
  await page.getByLabel("Nom de l'entreprise").fill(`${organisation} ${randomBytes(3).toString('hex')}`);
  await page.getByLabel('Votre nom', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.getByRole('heading', { name: 'Vérifiez votre boîte mail' }).waitFor();
  await page.getByRole('link', { name: 'Courriers envoyés' }).click();
  const mail = page.getByRole('article', { name: `Confirmez votre adresse pour activer votre compte — ${email}` });
  await mail.getByRole('link', { name: 'Ouvrir le lien' }).click();
  await page.getByRole('heading', { name: `Bonjour ${name}` }).waitFor();
  return { email, password };
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

/**
 * Answers the app's confirmation dialog (components/confirm-dialog.tsx) with its button `label`,
 * after checking it says what it asks; `value` fills its field first when it has one.
 */
export async function confirmInDialog(page: Page, label: string, value?: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading').waitFor();
  if (value !== undefined) await dialog.getByRole('textbox').fill(value);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}
