import { describe, expect, inject, it } from 'vitest';
import { confirmInDialog, signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('dunning (relances), as the back office follows it', () => {
  it('opens a case for an invoice issued past due, shows it without fees for a consumer, pauses and resumes it, and edits a plan', { timeout: 180_000 }, async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    await signUp(page, 'Relances Lumière', 'Claire Fontaine');

    // The organisation's identity and invoicing mentions (an invoice is issued only with them).
    await page.goto('/parametres/organisation');
    await page.getByLabel('Raison sociale').fill('Lumière Services');
    await page.getByLabel('Forme juridique').selectOption('SAS');
    await page.getByLabel('SIREN').fill('732829320');
    await page.getByLabel('N° de TVA intracommunautaire').fill('FR44732829320');
    await page.getByLabel('Adresse', { exact: true }).fill('12 rue de la Paix');
    await page.getByLabel('Code postal').fill('75002');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées').waitFor();
    await page.getByRole('link', { name: 'Facturation' }).click();
    await page.getByLabel('Capital social (€)').fill('10 000');
    await page.getByLabel('Ville du RCS').fill('Paris');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Paramètres de facturation enregistrés').waitFor();

    // A consumer and an invoice already past due when issued: the dunning consumer opens its case.
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Nouveau client' }).click();
    await page.getByLabel('Prénom').fill('Hélène');
    await page.getByLabel('Nom de famille').fill('Lefèvre');
    await page.getByLabel('Adresse', { exact: true }).fill('5 rue des Lilas');
    await page.getByLabel('Code postal').fill('33000');
    await page.getByLabel('Ville').fill('Bordeaux');
    await page.getByRole('button', { name: 'Créer le client' }).click();
    await page.getByRole('heading', { name: /LEFÈVRE Hélène/ }).waitFor();
    await page.getByRole('link', { name: 'Nouvelle facture' }).click();
    await page.getByLabel('Désignation').fill('Abonnement novembre');
    await page.getByLabel('Prix unitaire HT (€)').fill('50,00');
    await page.getByLabel('Date de la prestation ou de la livraison').fill('2026-11-01');
    await page.getByLabel("Date d'échéance").fill('2026-11-15');
    await page.getByRole('button', { name: 'Créer le brouillon' }).click();
    await page.getByRole('heading', { name: /Brouillon de facture/ }).waitFor();
    await page.getByRole('button', { name: 'Émettre' }).click();
    await confirmInDialog(page, 'Émettre');
    await page.getByRole('heading', { name: /^Facture \S+-\d+/ }).waitFor();

    // The case appears once the worker has handled invoice.created.
    await page.getByRole('navigation', { name: 'Navigation' }).getByRole('link', { name: 'Relances' }).click();
    await page.getByRole('heading', { name: 'Relances', exact: true }).waitFor();
    const link = page.getByRole('link', { name: /LEFÈVRE Hélène/ });
    for (let i = 0; i < 30 && (await link.count()) === 0; i++) {
      await page.waitForTimeout(1_000);
      await page.reload();
    }
    await link.click();
    await page.getByRole('heading', { name: /Dossier de relance/ }).waitFor();
    await page.getByText('Particulier : aucuns frais de recouvrement ne sont réclamés.').waitFor();
    expect(await page.getByText('Pénalités de retard').count()).toBe(0);
    expect(await page.getByText(/Indemnité forfaitaire/).count()).toBe(0);
    const steps = page.getByRole('list', { name: 'Étapes du plan' });
    await steps.getByText('Prochaine').waitFor();

    // A dispute pauses it; resuming starts the plan again.
    await page.getByLabel('Motif du litige').fill('Conteste la facture');
    await page.getByRole('button', { name: 'Mettre en pause (litige)' }).click();
    await page.getByText('En pause : litige').first().waitFor();
    await page.getByRole('button', { name: 'Reprendre les relances' }).click();
    await page.getByText('Litige levé : relances reprises').waitFor();

    // Today's worklist names the case's step; the plan editor saves a changed step.
    await page.getByRole('link', { name: 'Aujourd’hui' }).click();
    await page.getByRole('heading', { name: 'Relances du jour' }).waitFor();
    await page.getByRole('link', { name: 'Plans' }).click();
    const consumers = page.getByRole('form', { name: 'Particuliers' });
    await consumers.getByLabel('Objet').first().fill('Rappel amical : paiement non reçu');
    await consumers.getByRole('button', { name: 'Enregistrer le plan' }).click();
    await consumers.getByText('Plan enregistré.').waitFor();
    await page.reload();
    expect(await page.getByRole('form', { name: 'Particuliers' }).getByLabel('Objet').first().inputValue()).toBe('Rappel amical : paiement non reçu');
    await context.close();
  });
});
