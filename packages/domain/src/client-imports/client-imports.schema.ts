import { z } from 'zod';
import { IMPORT_FIELD_NAMES } from './import-fields.ts';

export const DUPLICATE_POLICIES = ['skip', 'update', 'create'] as const;

export const ZClientImportIdInput = z.strictObject({ importId: z.uuid('Import invalide') });
export type TClientImportIdInput = z.infer<typeof ZClientImportIdInput>;

export const ZDryRunClientImportInput = z.strictObject({
  importId: z.uuid('Import invalide'),
  /** A target field per CSV column, by position; null ignores the column. */
  mapping: z
    .array(z.enum(IMPORT_FIELD_NAMES, 'Champ inconnu').nullable())
    .max(200, '200 colonnes au plus')
    .refine((m) => new Set(m.filter(Boolean)).size === m.filter(Boolean).length, 'Un champ ne peut recevoir qu’une seule colonne'),
  duplicatePolicy: z.enum(DUPLICATE_POLICIES, 'Règle de doublons inconnue'),
});
export type TDryRunClientImportInput = z.infer<typeof ZDryRunClientImportInput>;

export const ZListClientImportsInput = z.strictObject({
  limit: z.number().int().min(1).max(50).default(20),
});
export type TListClientImportsInput = z.infer<typeof ZListClientImportsInput>;
