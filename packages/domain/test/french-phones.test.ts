import { describe, expect, it } from 'vitest';
import {
  createClient,
  displayPhone,
  dryRunClientImport,
  listClients,
  nationalPhone,
  parsePhone,
  runClientImport,
  startClientImport,
  systemClock,
  updateClient,
  uploadClientImport,
  ZCreateClientInput,
  ZDryRunClientImportInput,
  ZListClientsInput,
  ZUpdateClientInput,
} from '../src/index.ts';
import { ownerTenant } from './harness.ts';

/**
 * Real-format French numbers of every territory of the French plan, fixed and mobile: as
 * dialled in France, their E.164 number (the territory's own country code), and as displayed.
 */
const FRENCH_NUMBERS: { where: string; dialled: string; e164: string; shown: string }[] = [
  { where: 'Paris, fixed', dialled: '01 42 68 53 00', e164: '+33142685300', shown: '01 42 68 53 00' },
  { where: 'metropolitan mobile', dialled: '06 12 34 56 78', e164: '+33612345678', shown: '06 12 34 56 78' },
  { where: 'metropolitan mobile 07', dialled: '07 81 23 45 67', e164: '+33781234567', shown: '07 81 23 45 67' },
  { where: 'metropolitan VoIP', dialled: '09 70 12 34 56', e164: '+33970123456', shown: '09 70 12 34 56' },
  { where: 'toll-free', dialled: '0800 12 34 56', e164: '+33800123456', shown: '08 00 12 34 56' },
  { where: 'Guadeloupe, fixed', dialled: '0590 82 12 34', e164: '+590590821234', shown: '0590 82 12 34' },
  { where: 'Saint-Barthélemy, fixed', dialled: '0590 27 12 34', e164: '+590590271234', shown: '0590 27 12 34' },
  { where: 'Guadeloupe, mobile 0690', dialled: '0690 12 34 56', e164: '+590690123456', shown: '0690 12 34 56' },
  { where: 'Guadeloupe, mobile 0691', dialled: '0691 28 45 67', e164: '+590691284567', shown: '0691 28 45 67' },
  { where: 'Martinique, fixed', dialled: '0596 61 12 34', e164: '+596596611234', shown: '0596 61 12 34' },
  { where: 'Martinique, mobile 0696', dialled: '0696 45 67 89', e164: '+596696456789', shown: '0696 45 67 89' },
  { where: 'Martinique, mobile 0697', dialled: '0697 12 34 56', e164: '+596697123456', shown: '0697 12 34 56' },
  { where: 'Guyane, fixed', dialled: '0594 29 12 34', e164: '+594594291234', shown: '0594 29 12 34' },
  { where: 'Guyane, mobile', dialled: '0694 20 12 34', e164: '+594694201234', shown: '0694 20 12 34' },
  { where: 'La Réunion, fixed 0262', dialled: '0262 21 12 34', e164: '+262262211234', shown: '0262 21 12 34' },
  { where: 'La Réunion, fixed 0263', dialled: '0263 30 12 34', e164: '+262263301234', shown: '0263 30 12 34' },
  { where: 'La Réunion, mobile 0692', dialled: '0692 12 34 56', e164: '+262692123456', shown: '0692 12 34 56' },
  { where: 'La Réunion, mobile 0693', dialled: '0693 41 23 45', e164: '+262693412345', shown: '0693 41 23 45' },
  { where: 'Mayotte, fixed', dialled: '0269 61 12 34', e164: '+262269611234', shown: '0269 61 12 34' },
  { where: 'Mayotte, mobile', dialled: '0639 69 12 34', e164: '+262639691234', shown: '0639 69 12 34' },
  { where: 'Saint-Pierre-et-Miquelon', dialled: '0508 41 12 34', e164: '+508411234', shown: '0508 41 12 34' },
  { where: 'Guadeloupe, VoIP 0976', dialled: '0976 01 23 45', e164: '+590976012345', shown: '0976 01 23 45' },
  { where: 'La Réunion, mobile 0709', dialled: '0709 21 23 45', e164: '+262709212345', shown: '0709 21 23 45' },
];

/** Every real written form of one number: spaced, packed, dotted, international, 00, +33 by mistake. */
function formsOf(n: (typeof FRENCH_NUMBERS)[number]): string[] {
  const digits = n.dialled.replace(/\s/g, '');
  const international = n.e164;
  const forms = [n.dialled, digits, digits.replace(/(\d\d)(?=\d)/g, '$1.'), international, `00${international.slice(1)}`, `${international.slice(0, 4)} ${international.slice(4)}`];
  // Written with +33 and the territory's digits, as some address books do: still the territory's number.
  if (!international.startsWith('+33') && !international.startsWith('+508')) forms.push(`+33 ${digits.slice(1)}`);
  if (international.startsWith('+33')) forms.push(`+33 (0)${digits.slice(1)}`);
  return forms;
}

describe('French phone numbers (metropolitan and overseas)', () => {
  it.each(FRENCH_NUMBERS)('reads $where ($dialled) in all its forms as $e164, shown $shown', (n) => {
    for (const form of formsOf(n)) expect([form, parsePhone(form)]).toEqual([form, n.e164]);
    expect(displayPhone(n.e164)).toBe(n.shown);
    expect(nationalPhone(n.e164)).toBe(n.dialled.replace(/\s/g, ''));
    // What the page shows, typed back into the form, is the same number.
    expect(parsePhone(displayPhone(n.e164))).toBe(n.e164);
  });

  it('refuses what is not a number, and an overseas number under another territory’s code', () => {
    for (const bad of ['12', '06 12 34', '0690 12 34', '0690 12 34 56 78', '+262 590 82 12 34', 'abc', '+590 612 34 56 78']) expect([bad, parsePhone(bad)]).toEqual([bad, null]);
    expect(parsePhone('+49 30 1234567')).toBe('+49301234567');
    expect(displayPhone('+49301234567')).toBe('+49301234567');
  });

  it('stores each territory’s own code through the form, and finds the client by the number as dialled', async () => {
    const { run } = await ownerTenant();
    const ids = new Map<string, string>();
    for (const n of FRENCH_NUMBERS) {
      const { client } = await run((deps) => createClient(deps, ZCreateClientInput.parse({ kind: 'person', lastName: `Client ${n.where}`, mobile: n.dialled })));
      expect([n.where, client!.mobile]).toEqual([n.where, n.e164]);
      ids.set(n.where, client!.id);
      // The page's display, submitted again by the edit form, keeps the number.
      const updated = await run((deps) => updateClient(deps, ZUpdateClientInput.parse({ clientId: client!.id, mobile: displayPhone(n.e164), phone: n.e164 })));
      expect([updated.mobile, updated.phone]).toEqual([n.e164, n.e164]);
    }
    const found = async (search: string) => (await run((deps) => listClients(deps, ZListClientsInput.parse({ search })))).items.map((c) => c.id);
    for (const n of FRENCH_NUMBERS) {
      const digits = n.dialled.replace(/\s/g, '');
      for (const search of [n.dialled, digits, n.e164, `00${n.e164.slice(1)}`, digits.slice(0, 7)]) {
        expect([n.where, search, await found(search)]).toEqual([n.where, search, expect.arrayContaining([ids.get(n.where)])]);
      }
    }
    // "0690" finds the Guadeloupe mobile (and only numbers dialled with 0690).
    expect(await found('0690')).toEqual([ids.get('Guadeloupe, mobile 0690')]);
    expect(await found('+590 690')).toEqual([ids.get('Guadeloupe, mobile 0690')]);
  });

  it('imports every territory’s numbers with their own code', async () => {
    const { auth, owner, run } = await ownerTenant();
    const csv = ['Nom;Téléphone;Portable', ...FRENCH_NUMBERS.map((n, i) => `Client ${i};${n.dialled};${n.e164.replace('+', '00')}`)].join('\n');
    const uploaded = await run((deps) => uploadClientImport(deps, { fileName: 'outre-mer.csv', content: Buffer.from(csv) }));
    const report = await run((deps) => dryRunClientImport(deps, ZDryRunClientImportInput.parse({ importId: uploaded.id, mapping: uploaded.suggestedMapping, duplicatePolicy: 'create' })));
    expect(report).toMatchObject({ invalidRows: 0, errors: [], toInsert: FRENCH_NUMBERS.length });
    await run((deps) => startClientImport(deps, { importId: uploaded.id }));
    let result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId: owner.tenantId, importId: uploaded.id });
    while (result.outcome === 'busy') result = await runClientImport({ db: auth.db, clock: systemClock }, { tenantId: owner.tenantId, importId: uploaded.id });
    const clients = await run(({ tx }) => tx.client.findMany({ where: { tenantId: owner.tenantId }, select: { lastName: true, phone: true, mobile: true } }));
    for (const [i, n] of FRENCH_NUMBERS.entries()) {
      expect(clients.find((c) => c.lastName === `Client ${i}`)).toEqual({ lastName: `Client ${i}`, phone: n.e164, mobile: n.e164 });
    }
  });
});
