import type { RouterOutputs } from '@crm/trpc';
import { t } from '../../i18n/fr.ts';

export type Role = RouterOutputs['members']['list'][number]['role'];

export const ROLE_OPTIONS: { value: Role; label: string }[] = (Object.keys(t.roles) as Role[]).map((value) => ({
  value,
  label: t.roles[value],
}));
