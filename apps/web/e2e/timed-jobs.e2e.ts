import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('timed jobs on the operations page', () => {
  it('shows a new organisation its hourly payments job, with its next run, in French', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Tâches planifiées', 'Olivia Opérations');
      await page.getByRole('link', { name: 'Paramètres' }).click();
      await page.getByRole('link', { name: 'Événements' }).click();
      await page.getByRole('heading', { name: 'Tâches planifiées' }).waitFor();
      // The worker gives every organisation its recurring jobs within a minute; the page refreshes every 5 s.
      const row = page.getByTestId('timed-job-payments.housekeeping-hourly');
      await row.waitFor({ timeout: 90_000 });
      const cells = await row.getByRole('cell').allInnerTexts();
      expect(cells[0]).toBe('Prélèvements sans réponse réglés, mandats inutilisés depuis 36 mois expirés');
      expect(cells[1]).toBe('hourly');
      expect(cells[2]).toBe('toutes les heures');
      expect(cells[3]).toMatch(/\d{4}.*\d{2}:00/); // the next top of the hour
      expect(cells[4]).toBe('jamais');
      expect(cells[6]).toBe('0 / 5');
    } finally {
      await context.close();
    }
  }, 150_000);
});
