import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

const unique = () => randomBytes(4).toString('hex');

async function fill(page: Page, label: string | RegExp, value: string) {
  await page.getByLabel(label, { exact: typeof label === 'string' }).fill(value);
}

describe('the foundation, as a person uses it', () => {
  it('signs up, logs out and in, edits the organisation, invites a member who accepts', async () => {
    const owner = { email: `owner.${unique()}@example.test`, password: 'un mot de passe solide', name: 'Claire Dubois' };
    const company = `Assurances ${unique()}`;
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {

    // Sign up: the form answers "check your mailbox"; the captured mail's link opens the account
    await page.setExtraHTTPHeaders({ 'x-forwarded-for': '198.18.200.1' });
    await page.goto('/connexion');
    await page.getByRole('link', { name: 'Courriers envoyés' }).waitFor(); // shown because mail capture is on here
    await page.goto('/inscription');
    await fill(page, "Nom de l'entreprise", company);
    await fill(page, 'Votre nom', owner.name);
    await fill(page, 'Email', owner.email);
    await fill(page, 'Mot de passe', owner.password);
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByRole('heading', { name: 'Vérifiez votre boîte mail' }).waitFor();
    // Not verified yet: no account, so logging in says what a wrong password says
    await page.goto('/connexion');
    await fill(page, 'Email', owner.email);
    await fill(page, 'Mot de passe', owner.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Email ou mot de passe incorrect').waitFor();
    await page.getByRole('link', { name: 'Courriers envoyés' }).click();
    const mail = page.getByRole('article', { name: `Confirmez votre adresse pour activer votre compte — ${owner.email}` });
    expect(await mail.textContent()).toContain(company);
    await mail.getByRole('link', { name: 'Ouvrir le lien' }).click();
    await page.getByRole('heading', { name: `Bonjour ${owner.name}` }).waitFor();
    expect(await page.getByTestId('my-role').textContent()).toBe('Propriétaire');
    await page.screenshot({ path: '/tmp/web-dashboard.png' });

    // The session survives a reload (refresh cookie), then log out
    await page.reload();
    await page.getByRole('heading', { name: `Bonjour ${owner.name}` }).waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();

    // A wrong password says so, then log in
    await fill(page, 'Email', owner.email);
    await fill(page, 'Mot de passe', 'pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Email ou mot de passe incorrect').waitFor();
    await fill(page, 'Mot de passe', owner.password);
    // The notification stream's first connection after this login is cut: the page must open
    // another, with a new ticket, and still hear of the member who joins below.
    const streamUrls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/trpc/notifications.onNotification')) streamUrls.push(request.url());
    });
    const stream = '**/trpc/notifications.onNotification**';
    let cut = 0;
    await page.route(stream, async (route) => {
      cut++;
      await route.abort('connectionreset');
      await page.unroute(stream);
    });
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: `Bonjour ${owner.name}` }).waitFor();
    // Reconnected by itself (no navigation since), with a new ticket.
    await expect.poll(() => streamUrls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(cut).toBe(1);

    // Edit the organisation
    await page.getByRole('link', { name: 'Paramètres' }).click();
    await page.getByLabel('Raison sociale').waitFor();
    await fill(page, 'Raison sociale', `${company} SAS`);
    await page.getByLabel('Forme juridique').selectOption('SAS');
    await fill(page, 'SIREN', '732 829 320');
    await fill(page, 'SIRET (siège)', '73282932000074');
    await fill(page, 'Adresse', '12 rue de la Paix');
    await fill(page, 'Code postal', '75002');
    await fill(page, 'Ville', 'Paris');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées').waitFor();
    expect(await page.getByLabel('SIREN').inputValue()).toBe('732829320');
    await page.screenshot({ path: '/tmp/web-settings.png', fullPage: true });

    // A bad SIRET: the server's message under the field, nothing saved
    await fill(page, 'SIRET (siège)', '73282932000075');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('SIRET invalide (clé de contrôle)').waitFor();
    await page.reload();
    await page.getByLabel('SIRET (siège)').waitFor();
    expect(await page.getByLabel('SIRET (siège)').inputValue()).toBe('73282932000074');

    // Invite a sales rep
    const member = { email: `rep.${unique()}@example.test`, name: 'Hugo Martin', password: 'mot de passe du commercial' };
    await page.getByRole('link', { name: 'Invitations' }).click();
    await fill(page, 'Email de la personne', member.email);
    await page.getByLabel('Rôle').selectOption('sales');
    await page.getByRole('button', { name: "Créer l'invitation" }).click();
    const link = (await page.getByTestId('invitation-link').textContent())!;
    expect(link).toMatch(/\/invitation\/.+\..+/);
    await page.getByRole('cell', { name: member.email }).waitFor();

    // The member accepts in another browser
    const memberContext = await browser().newContext({ locale: 'fr-FR' });
    const memberPage = await memberContext.newPage();
    await memberPage.goto(link);
    await memberPage.getByRole('heading', { name: `Rejoindre ${company} en tant que Commercial` }).waitFor();
    await fill(memberPage, 'Votre nom', member.name);
    await fill(memberPage, 'Mot de passe', member.password);
    await memberPage.getByRole('button', { name: "Accepter l'invitation" }).click();
    await memberPage.getByRole('heading', { name: `Bonjour ${member.name}` }).waitFor();
    expect(await memberPage.getByTestId('my-role').textContent()).toBe('Commercial');

    // The owner's open page hears of it in real time (event -> worker -> notification -> SSE).
    await page.getByRole('status').filter({ hasText: 'Nouveau membre' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('unread-count').textContent()).toBe('1');
    await page.getByRole('button', { name: /Notifications/ }).click();
    await page.getByText(`${member.name} a rejoint l’organisation (commercial).`).waitFor();
    await page.screenshot({ path: '/tmp/web-notification.png' });
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    // Every stream connection opened with a ticket of its own, never with the access token.
    expect(cut).toBe(1);
    const tickets = streamUrls.map((url) => new URL(url).searchParams.get('ticket'));
    expect(streamUrls.length).toBeGreaterThanOrEqual(2);
    expect(tickets.every((ticket) => ticket && /^[0-9a-f-]{36}\.[\w-]{43}$/.test(ticket))).toBe(true);
    expect(new Set(tickets).size).toBe(tickets.length);
    expect(streamUrls.filter((url) => /connectionParams|token|eyJ/.test(url))).toEqual([]);

    // Escape closes the panel, as any menu; then the owner sees the new member.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Membres' }).click();
    await page.getByRole('cell', { name: member.email }).waitFor();
    await memberContext.close();
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-failure.png', fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
