import { describe, expect, inject, it } from 'vitest';
import { createPersonClient, signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

const parisDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + offsetDays * 86_400_000));

describe('tasks, from a client to "Mes tâches"', () => {
  it('adds a task to a client, sees it overdue in "Mes tâches", completes it and sees it leave the open list', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    try {
      await signUp(page, 'Tâches');
      await createPersonClient(page, 'Paul', 'Durand');

      // The client's history starts with its creation.
      const timeline = page.getByRole('region', { name: 'Historique' });
      await timeline.getByText('Client créé').waitFor();

      // An empty subject is refused under its field, in French.
      await page.getByLabel('Nature').selectOption({ label: 'Tâche' });
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await page.getByText('Objet requis').waitFor();

      await page.getByLabel('Objet').fill('Envoyer le devis');
      await page.getByLabel('Échéance').fill(parisDay(-1));
      await page.getByLabel('Détails').fill('Version avec remise');
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await timeline.getByText('Tâche : Envoyer le devis').waitFor();
      await timeline.getByText('En retard').waitFor();

      // A call, recorded as done, joins the same chronology.
      await page.getByLabel('Nature').selectOption({ label: 'Appel' });
      await page.getByLabel('Objet').fill('Premier contact');
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await timeline.getByText('Appel : Premier contact').waitFor();

      await page.getByRole('link', { name: 'Mes tâches' }).click();
      await page.getByRole('heading', { name: 'Mes tâches', level: 1 }).waitFor();
      const open = page.getByRole('list', { name: 'Mes tâches' });
      const task = open.getByRole('listitem').filter({ hasText: 'Envoyer le devis' });
      await task.getByText('En retard').waitFor();
      await task.getByRole('link', { name: 'DURAND Paul' }).waitFor();
      expect(await open.getByText('Premier contact').count()).toBe(0); // a call already made is no to-do

      // A task added here, linked to the client found by search, due later.
      await page.getByLabel('Objet').fill('Préparer le rendez-vous');
      await page.getByLabel('Échéance').fill(parisDay(3));
      await page.getByLabel('Rechercher un client').fill('durand');
      await page.getByLabel('Client (facultatif)').locator('option', { hasText: 'DURAND Paul' }).waitFor({ state: 'attached' });
      await page.getByLabel('Client (facultatif)').selectOption({ label: 'DURAND Paul' });
      await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
      const later = open.getByRole('listitem').filter({ hasText: 'Préparer le rendez-vous' });
      await later.getByText('À venir').waitFor();
      // Overdue first.
      expect(await open.getByRole('listitem').allInnerTexts()).toEqual([
        expect.stringContaining('Envoyer le devis'),
        expect.stringContaining('Préparer le rendez-vous'),
      ]);

      await task.getByRole('button', { name: 'Terminer' }).click();
      await task.waitFor({ state: 'detached' });
      const done = page.getByRole('list', { name: 'Terminées ces 7 derniers jours' });
      await done.getByRole('listitem').filter({ hasText: 'Envoyer le devis' }).waitFor();
      await page.screenshot({ path: '/tmp/web-tasks.png', fullPage: true });

      // Reopened, it comes back to the open list.
      await done.getByRole('listitem').filter({ hasText: 'Envoyer le devis' }).getByRole('button', { name: 'Rouvrir' }).click();
      await open.getByRole('listitem').filter({ hasText: 'Envoyer le devis' }).waitFor();

      // And the client's timeline shows both tasks.
      await later.getByRole('link', { name: 'DURAND Paul' }).click();
      await timeline.getByText('Tâche : Préparer le rendez-vous').waitFor();
      await page.screenshot({ path: '/tmp/web-client-timeline.png', fullPage: true });
    } catch (error) {
      await page.screenshot({ path: '/tmp/web-tasks-failure.png', fullPage: true });
      throw error;
    } finally {
      await context.close();
    }
  });
});
