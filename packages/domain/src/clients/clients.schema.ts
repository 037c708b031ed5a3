import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import { ZEmail, ZFrVat, ZPhone, ZPostalAddress, ZSiren, ZSiret } from '../shared/identifiers.schema.ts';

export { ZPhone };
import { parisDay } from '../shared/paris-day.ts';
import { multilineText, text, ZCursor, ZDay, whenAnObject } from '../shared/input-rules.ts';

// Input validation has no injected clock: "not in the future" is judged on the system's, in Paris.
const today = () => parisDay(systemClock());
export const ZBirthDate = ZDay()
  .refine((d) => d >= '1900-01-01' && d <= today(), 'Date de naissance invalide');

export const CLIENT_STATUSES = ['prospect', 'active', 'inactive'] as const;
export const CIVILITIES = ['M', 'MME'] as const;

const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

const ZClientFields = z.object({
  civility: optional(z.enum(CIVILITIES, 'Civilité inconnue')),
  firstName: optional(text(80)),
  lastName: optional(text(80)),
  companyName: optional(text(140)),
  legalForm: optional(text(20)),
  siren: optional(ZSiren),
  siret: optional(ZSiret),
  /** A business buyer's intra-community VAT number (invoices, BT-48). */
  vatNumber: optional(ZFrVat),
  email: optional(ZEmail),
  phone: optional(ZPhone),
  mobile: optional(ZPhone),
  address: optional(ZPostalAddress),
  birthDate: optional(ZBirthDate),
  status: z.enum(CLIENT_STATUSES, 'Statut inconnu').optional(),
  source: optional(text(60)),
  tags: z.array(text(40).min(1)).max(20, '20 étiquettes au plus').optional(),
  marketingConsent: z.boolean().optional(),
  notes: multilineText(10_000).optional(),
  salesRepId: z.uuid('Commercial invalide').nullish(),
});


export const ZCreateClientInput = ZClientFields.extend({
  kind: z.enum(['person', 'company'], 'Type de client inconnu'),
  /** Create even if likely duplicates exist (the user has seen them). */
  ignoreDuplicates: z.boolean().default(false),
})
  .strict()
  // `when`: report these with the other fields' errors, not only once the rest is valid.
  .refine((c) => c.kind !== 'person' || Boolean(c.lastName), { path: ['lastName'], message: 'Nom requis', when: whenAnObject })
  .refine((c) => c.kind !== 'company' || Boolean(c.companyName), { path: ['companyName'], message: 'Raison sociale requise', when: whenAnObject });
export type TCreateClientInput = z.infer<typeof ZCreateClientInput>;

export const ZUpdateClientInput = ZClientFields.extend({ clientId: z.uuid('Client invalide') }).strict();
export type TUpdateClientInput = z.infer<typeof ZUpdateClientInput>;

/** A person to deal with at a company client: a name (first or last), a role, how to reach them. */
const ZContactFields = z.object({
  civility: optional(z.enum(CIVILITIES, 'Civilité inconnue')),
  firstName: optional(text(80)),
  lastName: optional(text(80)),
  role: optional(text(120)),
  email: optional(ZEmail),
  phone: optional(ZPhone),
  mobile: optional(ZPhone),
});
export type TContactFields = z.infer<typeof ZContactFields>;
const contactName = { path: ['lastName'], message: 'Nom ou prénom du contact requis', when: whenAnObject };
export const ZContactInput = ZContactFields.strict().refine((c) => Boolean(c.lastName || c.firstName), contactName);

export const ZAddClientContactInput = ZContactFields.extend({ clientId: z.uuid('Client invalide') })
  .strict()
  .refine((c) => Boolean(c.lastName || c.firstName), contactName);
export type TAddClientContactInput = z.infer<typeof ZAddClientContactInput>;

export const ZUpdateClientContactInput = ZContactFields.extend({ contactId: z.uuid('Contact invalide') }).strict();
export type TUpdateClientContactInput = z.infer<typeof ZUpdateClientContactInput>;

export const ZClientContactIdInput = z.strictObject({ contactId: z.uuid('Contact invalide') });
export type TClientContactIdInput = z.infer<typeof ZClientContactIdInput>;

export const ZClientIdInput = z.strictObject({ clientId: z.uuid('Client invalide') });
export type TClientIdInput = z.infer<typeof ZClientIdInput>;

export const ZMergeClientsInput = z.strictObject({
  /** The duplicate, folded into the target and archived. */
  sourceClientId: z.uuid('Client invalide'),
  /** The client that remains. */
  targetClientId: z.uuid('Client invalide'),
});
export type TMergeClientsInput = z.infer<typeof ZMergeClientsInput>;

export const ZAnonymiseClientInput = z.strictObject({
  clientId: z.uuid('Client invalide'),
  reason: multilineText(500).optional(),
  /** Anonymising cannot be undone: the caller says so explicitly. */
  confirm: z.literal(true, 'Confirmez l’anonymisation, elle est irréversible'),
});
export type TAnonymiseClientInput = z.infer<typeof ZAnonymiseClientInput>;

export const ZListClientsInput = z.strictObject({
  search: text(100).optional(),
  status: z.enum([...CLIENT_STATUSES, 'archived'] as const).optional(),
  tag: text(40).optional(),
  city: text(35).optional(),
  createdFrom: ZDay().optional(),
  createdTo: ZDay().optional(),
  /** A rep's clients, or 'none' for the clients assigned to nobody. */
  salesRep: z.union([z.uuid('Commercial invalide'), z.literal('none')]).optional(),
  sort: z.enum(['name', 'newest', 'oldest']).default('name'),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by TanStack Query's infinite queries; pages only go forward here. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListClientsInput = z.infer<typeof ZListClientsInput>;
