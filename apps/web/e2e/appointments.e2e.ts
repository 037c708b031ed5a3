import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser, confirmInDialog } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

async function book(page: Page, appointment: { title: string; date: string; start: string; end: string; location?: string }) {
  await page.getByRole('button', { name: 'Nouveau rendez-vous' }).click();
  const form = page.getByRole('form', { name: 'Nouveau rendez-vous' });
  await form.getByLabel('Titre').fill(appointment.title);
  await form.getByLabel('Date', { exact: true }).fill(appointment.date);
  await form.getByLabel('Début').fill(appointment.start);
  await form.getByLabel('Fin', { exact: true }).fill(appointment.end);
  if (appointment.location) await form.getByLabel('Lieu').fill(appointment.location);
  await form.getByLabel('Rappel').selectOption({ label: '15 minutes avant' });
  await form.getByRole('button', { name: 'Enregistrer le rendez-vous' }).click();
  return form;
}

describe('the agenda', () => {
  it('books an appointment in the week view, warns of an overlap, cancels, and gives a feed URL', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR', timezoneId: 'Europe/Paris', permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    try {
      await signUp(page, 'Agenda');
      await page.getByRole('link', { name: 'Agenda' }).click();
      await page.getByRole('button', { name: 'Semaine', pressed: true }).waitFor();
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

      // Bad input first: the end before the start is refused under the field.
      const form = await book(page, { title: 'Visite client', date: today, start: '15:00', end: '14:00' });
      await form.getByText('La fin doit être après le début').waitFor();
      await form.getByLabel('Fin', { exact: true }).fill('15:30');
      await form.getByLabel('Début').fill('14:30');
      await form.getByLabel('Lieu').fill('5 rue des Lilas, Bordeaux');
      await form.getByRole('button', { name: 'Enregistrer le rendez-vous' }).click();
      const grid = page.getByRole('grid', { name: 'Agenda' });
      await grid.getByRole('button', { name: /14:30.15:30\s*Visite client/ }).waitFor();
      await page.getByRole('region', { name: 'Détail du rendez-vous' }).getByText('5 rue des Lilas, Bordeaux').waitFor();

      // Another one at the same time: the warning names the first; confirmed, both are on the calendar.
      const second = await book(page, { title: 'Appel fournisseur', date: today, start: '15:00', end: '16:00' });
      await second.getByText('Déjà occupé à ce moment-là :').waitFor();
      await second.getByRole('alert').filter({ hasText: 'Visite client' }).waitFor();
      await page.screenshot({ path: '/tmp/web-agenda-overlap.png', fullPage: true });
      await second.getByRole('button', { name: 'Confirmer quand même' }).click();
      await grid.getByRole('button', { name: /Appel fournisseur/ }).waitFor();
      expect(await grid.getByRole('button', { name: /Visite client/ }).count()).toBe(1);
      await page.screenshot({ path: '/tmp/web-agenda-week.png', fullPage: true });

      // Month view shows them too; cancelling removes one.
      await page.getByRole('button', { name: 'Mois', exact: true }).click();
      const month = page.getByRole('grid', { name: 'Agenda' });
      await month.getByRole('button', { name: /Visite client/ }).waitFor();
      await month.getByRole('button', { name: /Appel fournisseur/ }).click();
      await page.getByRole('button', { name: 'Annuler le rendez-vous' }).click();
      await confirmInDialog(page, 'Annuler le rendez-vous');
      await month.getByRole('button', { name: /Appel fournisseur/ }).waitFor({ state: 'detached' });
      await month.getByRole('button', { name: /Visite client/ }).waitFor();

      // Day view of today, from the toolbar.
      await page.getByRole('button', { name: 'Jour', exact: true }).click();
      await page.getByRole('button', { name: "Aujourd'hui" }).click();
      await page.getByRole('grid', { name: 'Agenda' }).getByRole('button', { name: /Visite client/ }).waitFor();

      // Moved to later the same day: the same form, through appointments.update.
      await page.getByRole('grid', { name: 'Agenda' }).getByRole('button', { name: /Visite client/ }).click();
      await page.getByRole('button', { name: 'Modifier', exact: true }).click();
      const edit = page.getByRole('form', { name: 'Modifier le rendez-vous' });
      expect(await edit.getByLabel('Lieu').inputValue()).toBe('5 rue des Lilas, Bordeaux');
      await edit.getByLabel('Début').fill('16:00');
      await edit.getByLabel('Fin', { exact: true }).fill('17:00');
      await edit.getByRole('button', { name: 'Enregistrer le rendez-vous' }).click();
      await page.getByRole('grid', { name: 'Agenda' }).getByRole('button', { name: /16:00.17:00\s*Visite client/ }).waitFor();

      // The private feed: made once, shown once, served as iCalendar.
      await page.getByRole('button', { name: "Créer mon lien d'abonnement" }).click();
      const url = await page.getByLabel("Lien d'abonnement").inputValue();
      expect(url).toMatch(new RegExp(`^${baseURL}/calendar/[0-9a-f-]{36}\\.[\\w-]{43}\\.ics$`));
      const ics = await (await fetch(url)).text();
      expect(ics).toContain('BEGIN:VCALENDAR');
      expect(ics).toContain('SUMMARY:Visite client');
      expect(ics.split('BEGIN:VEVENT').find((event) => event.includes('SUMMARY:Visite client'))).toContain('SEQUENCE:1'); // moved once
      expect(ics).toContain('SUMMARY:Appel fournisseur\r\n'); // cancelled, still served so calendars drop it
      expect(ics).toContain('STATUS:CANCELLED');
      await page.getByRole('button', { name: 'Copier' }).click();
      await page.getByRole('button', { name: 'Copié' }).waitFor();
      await page.getByRole('button', { name: 'Générer un nouveau lien' }).click();
      await confirmInDialog(page, 'Générer un nouveau lien');
      await expect.poll(() => page.getByLabel("Lien d'abonnement").inputValue()).not.toBe(url);
      expect((await fetch(url)).status).toBe(404);
      await page.screenshot({ path: '/tmp/web-agenda-day.png', fullPage: true });
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-agenda-failure.png', fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
