import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@crm/trpc';
import { t } from '../i18n/fr.ts';

export type FieldErrors = Record<string, string[]>;

function asClientError(error: unknown): TRPCClientError<AppRouter> | null {
  return error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>) : null;
}

/** The server's field errors, keyed by dotted path ("address.postalCode"). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  return asClientError(error)?.data?.fieldErrors ?? {};
}

/** The message to show above a form (field errors are shown under their fields). */
export function messageOf(error: unknown): string | null {
  if (!error) return null;
  const clientError = asClientError(error);
  if (!clientError) return t.app.error;
  return clientError.message || t.app.error;
}

export const httpStatusOf = (error: unknown): number | undefined => asClientError(error)?.data?.httpStatus;
