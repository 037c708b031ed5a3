// The pure rules the web app bundles, so that a form previews exactly what the server will do.
// Only modules without a database, Node API or secret belong here (no @crm/db, no node:*).
export { contractEndDate, planSchedule, type PlannedPeriod, type ScheduleLine } from './payments/schedule-rules.ts';
export { ibanFeedback, type IbanFeedback } from './sepa/iban-feedback.ts';
export { displayPhone, nationalPhone } from './shared/french-numbering.ts';
export { previewImportRow } from './client-imports/company-rows.ts';
export { priceForPeriod } from './products/price-per-period.ts';
export { parisDay } from './shared/paris-day.ts';
// Types only (erased from the bundle): the permission names, so that a typo in the web app fails to compile.
export type { Permission } from './access/permissions.ts';
export { isMaskedIban, maskIban } from './shared/iban-mask.ts';
export { collectionDateRefusal, earliestCollectionDate, longFrenchDate, proposeCollectionDate } from './payments/collection-date.ts';
export { simulateMonth, ZPlanRules, ONE_SHOT_TRIGGERS, type PlanRules, type PlanRulesInput } from './commissions/commission-rules.ts';
