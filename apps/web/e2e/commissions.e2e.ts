import { describe, expect, inject, it } from 'vitest';
import { signUp, useBrowser } from './browser.ts';

const baseURL = inject('baseURL');
const browser = useBrowser();

describe('commissions, as the back office sets them up', () => {
  it('creates a plan, simulates a month with it, and issues a month with nothing to pay', async () => {
    const context = await browser().newContext({ baseURL, locale: 'fr-FR' });
    const page = await context.newPage();
    await signUp(page, 'Commissions Soleil', 'Paul Dumas');

    await page.getByRole('link', { name: 'Commissions' }).click();
    await page.getByRole('heading', { name: 'Commissions' }).waitFor();
    await page.getByRole('tab', { name: 'Plans' }).click();
    await page.getByText('Aucun plan de commission.').waitFor();
    await page.getByRole('button', { name: 'Nouveau plan' }).click();
    await page.getByLabel('Nom du plan').fill('Plan terrain');
    await page.getByLabel('Plan par défaut (commerciaux sans plan ni équipe)').check();
    await page.getByLabel('Prime à la signature (€)').fill('100');
    await page.getByLabel('Prime en % de la valeur annuelle').fill('0');
    await page.getByLabel('Commission sur chaque encaissement (%)').fill('10');
    await page.getByLabel('Prime acquise seulement après le premier prélèvement payé (bonne fin)').uncheck();

    // The simulator's two sample contracts of last month: A signed on the 3rd and collected (60 €), B unpaid.
    await page.getByRole('button', { name: 'Simuler' }).click();
    const result = page.getByText(/^Le mois aurait payé : /);
    await result.waitFor();
    // A: 100 € one-shot + 10 % of 60 € collected; B unpaid: nothing.
    expect(await result.textContent()).toMatch(/106,00\s€/);

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Plan enregistré').waitFor();
    await page.getByRole('heading', { name: /Plan terrain/ }).waitFor();
    expect(await page.getByText('Par défaut').count()).toBeGreaterThan(0);

    await page.getByRole('tab', { name: 'Relevés' }).click();
    await page.getByText('Aucun relevé émis.').waitFor();
    await page.getByRole('button', { name: 'Émettre les relevés du mois' }).click();
    await page.getByText('Aucun relevé à émettre pour ce mois').waitFor();
    await context.close();
  });
});
