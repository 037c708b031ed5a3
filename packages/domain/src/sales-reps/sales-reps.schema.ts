import { z } from 'zod';
import { safeText, text, whenAnObject } from '../shared/input-rules.ts';
import { ZEmail } from '../auth/auth.schema.ts';
import { ZPhone } from '../shared/identifiers.schema.ts';

const name = (label: string) => text(80).min(1, `${label} requis`);

const ZSalesRepFields = z.object({
  firstName: name('Prénom'),
  lastName: name('Nom'),
  /** Short handle printed on contracts and commission statements; generated from the name when absent. */
  code: text(12).regex(/^[A-Z0-9-]+$/, 'Majuscules, chiffres et tirets seulement').min(2, '2 caractères au moins').optional(),
  email: ZEmail.nullish(),
  phone: ZPhone.nullish(),
  team: text(60).nullish(),
  managerId: z.uuid('Responsable invalide').nullish(),
  /** The member whose account this rep is: a member with the sales role then sees this rep's clients. */
  userId: z.uuid('Utilisateur invalide').nullish(),
});

export const ZCreateSalesRepInput = ZSalesRepFields.strict();
export type TCreateSalesRepInput = z.infer<typeof ZCreateSalesRepInput>;

export const ZUpdateSalesRepInput = ZSalesRepFields.partial()
  .extend({ salesRepId: z.uuid('Commercial invalide'), active: z.boolean().optional() })
  .strict();
export type TUpdateSalesRepInput = z.infer<typeof ZUpdateSalesRepInput>;

export const ZSalesRepIdInput = z.strictObject({ salesRepId: z.uuid('Commercial invalide') });
export type TSalesRepIdInput = z.infer<typeof ZSalesRepIdInput>;

export const ZListSalesRepsInput = z.strictObject({
  includeInactive: z.boolean().default(false),
});
export type TListSalesRepsInput = z.infer<typeof ZListSalesRepsInput>;

export const ZMonth = safeText()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois invalide (AAAA-MM)')
  .refine((month) => month >= '1900-01' && month <= '2199-12', 'Mois hors limites (entre 1900 et 2199)');

export const ZSetSalesRepTargetInput = z.strictObject({
  salesRepId: z.uuid('Commercial invalide'),
  month: ZMonth,
  revenueCents: z.number('Montant requis').int('Montant en centimes').min(0, 'Montant positif').max(1_000_000_000_00, 'Montant trop élevé'),
  contractsCount: z.number().int().min(0, 'Nombre positif').max(100_000).default(0),
});
export type TSetSalesRepTargetInput = z.infer<typeof ZSetSalesRepTargetInput>;

export const ZReassignClientsInput = z
  .strictObject({
    /** The clients to move, by id... */
    clientIds: z.array(z.uuid('Client invalide')).min(1, 'Aucun client choisi').max(1_000, '1 000 clients au plus par envoi').optional(),
    /** ...or every client of a rep (a rep leaving). */
    fromSalesRepId: z.uuid('Commercial invalide').optional(),
    /** The rep who takes them; null leaves them unassigned. */
    toSalesRepId: z.uuid('Commercial invalide').nullable(),
  })
  .refine((input) => (input.clientIds === undefined) !== (input.fromSalesRepId === undefined), {
    path: ['clientIds'],
    message: 'Choisissez des clients ou un commercial de départ',
    when: whenAnObject,
  });
export type TReassignClientsInput = z.infer<typeof ZReassignClientsInput>;
