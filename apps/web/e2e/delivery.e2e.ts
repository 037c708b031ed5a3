import type { Response } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

// The built app as the API delivers it: precompressed, cached by name, loaded page by page.
describe('delivery of the web app', () => {
  it('sends the first page compressed, hashed files cached for good, the shell revalidated, pages on demand', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      const responses: Response[] = [];
      page.on('response', (response) => responses.push(response));
      const shell = await page.goto('/connexion');
      await page.getByRole('heading', { name: 'Connexion' }).waitFor();
      expect(shell?.headers()['cache-control']).toBe('no-cache');
      const scripts = responses.filter((r) => r.request().resourceType() === 'script');
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        const headers = await script.allHeaders();
        expect(headers['content-encoding'], script.url()).toBe('br');
        expect(headers['cache-control'], script.url()).toBe('public, max-age=31536000, immutable');
        expect(headers['content-type'], script.url()).toBe('text/javascript; charset=utf-8');
      }
      // No public source maps: no script points to one, and none is served.
      for (const script of scripts) {
        expect(await script.text(), script.url()).not.toContain('sourceMappingURL');
        expect((await fetch(`${script.url()}.map`)).status, `${script.url()}.map`).toBe(404);
      }
      // The login page does not download the pages behind the login.
      expect(scripts.map((s) => s.url()).join(' ')).not.toMatch(/clients-page|dashboard-page|agenda-page/);

      // A page's chunk arrives when the page is first opened.
      await signUp(page, 'Livraison');
      const before = responses.length;
      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('heading', { name: 'Clients' }).waitFor();
      expect(responses.slice(before).some((r) => /\/assets\/clients-page-[\w-]+\.js$/.test(r.url()))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('says so in French when a page cannot be downloaded, and keeps the navigation', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Hors ligne');
      // As when a new version replaced the files this tab knew, or the network dropped.
      await page.route(/\/assets\/agenda-page-[\w-]+\.js$/, (route) => route.abort());
      await page.getByRole('link', { name: 'Agenda' }).click();
      await page.getByRole('alert').getByText("Cette page n'a pas pu s'afficher.", { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Recharger la page' }).waitFor();
      // The bars stay, and another page still opens.
      await page.getByRole('link', { name: 'Clients' }).click();
      await page.getByRole('heading', { name: 'Clients' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
