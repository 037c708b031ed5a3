import { z } from 'zod';
import { multilineText, text, ZCursor, ZDay } from '../shared/input-rules.ts';
import { ZCents } from '../shared/money.ts';
import { AUDIENCES, CHANNELS } from './dunning-rules.ts';

const ZCaseId = z.uuid('Dossier invalide');

export const ZDunningCaseIdInput = z.strictObject({ caseId: ZCaseId });
export type TDunningCaseIdInput = z.infer<typeof ZDunningCaseIdInput>;

export const ZListDunningCasesInput = z.strictObject({
  /** open (the default): open and paused; closed: every closed case; all. */
  state: z.enum(['open', 'closed', 'all'], 'État inconnu').default('open'),
  purpose: z.enum(['recovery', 'commercial'], 'Nature inconnue').optional(),
  clientId: z.uuid('Client invalide').optional(),
  cursor: ZCursor.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Sent by the web's infinite queries; pages only go forward. */
  direction: z.enum(['forward', 'backward']).optional(),
});
export type TListDunningCasesInput = z.infer<typeof ZListDunningCasesInput>;

export const ZPauseDunningCaseInput = z.strictObject({
  caseId: ZCaseId,
  /** What the debtor disputes (a dispute pauses the case until a person resumes it). */
  note: text(500).min(1, 'Motif requis'),
});
export type TPauseDunningCaseInput = z.infer<typeof ZPauseDunningCaseInput>;

export const ZAgreePaymentPlanInput = z.strictObject({
  caseId: ZCaseId,
  instalments: z
    .array(z.strictObject({ dueOn: ZDay(), amountCents: ZCents.min(1, 'Montant requis').max(100_000_000_00, 'Montant trop grand') }))
    .min(1, 'Au moins une échéance')
    .max(36, '36 échéances au plus'),
});
export type TAgreePaymentPlanInput = z.infer<typeof ZAgreePaymentPlanInput>;

export const ZWriteOffDunningCaseInput = z.strictObject({ caseId: ZCaseId, reason: text(500).min(1, 'Motif requis') });
export type TWriteOffDunningCaseInput = z.infer<typeof ZWriteOffDunningCaseInput>;

export const ZDunningStepInput = z.strictObject({
  delayDays: z.number('Délai en jours').int('Délai en jours entiers').min(0, 'Délai positif').max(365, '365 jours au plus'),
  delayFrom: z.enum(['opened', 'previous'], 'Point de départ inconnu'),
  channel: z.enum(CHANNELS, 'Canal inconnu'),
  subject: text(200).min(1, 'Objet requis'),
  template: multilineText(5_000).min(1, 'Texte requis'),
  condition: z.enum(['no_contract'], 'Condition inconnue').nullable().default(null),
});

export const ZUpdateDunningPlanInput = z.strictObject({
  audience: z.enum(AUDIENCES, 'Type de plan inconnu'),
  name: text(100).min(1, 'Nom requis'),
  active: z.boolean(),
  steps: z.array(ZDunningStepInput).min(1, 'Au moins une étape').max(12, '12 étapes au plus'),
});
export type TUpdateDunningPlanInput = z.infer<typeof ZUpdateDunningPlanInput>;

export const ZDunningWorklistInput = z.strictObject({ day: ZDay().optional() });
export type TDunningWorklistInput = z.infer<typeof ZDunningWorklistInput>;
