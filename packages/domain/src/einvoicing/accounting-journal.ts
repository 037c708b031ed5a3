import { neutraliseFormula } from '../shared/csv-cells.ts';
import type { TenantDeps } from '../shared/context.ts';
import type { TExportPeriodInput } from './einvoicing.schema.ts';
import { loadIssuedInPeriod, type IssuedDocument } from './sales-breakdown.ts';

/**
 * The sales journal in the layout of the French FEC (Fichier des écritures comptables, LPF
 * A47 A-1; BOI-CF-IOR-60-40-20): the 18 columns, "|" as separator, amounts with a decimal
 * comma and no thousands separator, dates YYYYMMDD. One balanced entry per issued invoice
 * (client 411 debit incl. VAT; 706 services or 707 goods credit excl. VAT per rate; 44571
 * credit VAT per rate), a credit note reversed. Same invoices, same bytes: nothing reads a
 * clock, rows come in issue date then number order. EcritureNum is the document's number (unique
 * and chronological within its series); EcritureLet/DateLet (lettering) and the currency columns
 * stay empty (everything is in EUR, the accounting currency).
 */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export const ACCOUNTS = {
  clients: { num: '411000', lib: 'Clients' },
  services: { num: '706000', lib: 'Prestations de services' },
  goods: { num: '707000', lib: 'Ventes de marchandises' },
  vat: { num: '445710', lib: 'TVA collectée' },
} as const;

const SEPARATOR = '|';
/** 123456 → "1234,56". */
export const fecAmount = (cents: number): string => {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
};
const fecDate = (day: string) => day.replaceAll('-', '');
/** Text without the separator, tabs or line breaks (they would break the columns). */
// No separator inside a value, and nothing a spreadsheet would run as a formula.
const cell = (value: string) => neutraliseFormula(value.replace(/[|\t\r\n]+/g, ' ').trim());
const rate = (basisPoints: number) => `${String(basisPoints / 100).replace('.', ',')} %`;

export interface JournalLine {
  account: { num: string; lib: string };
  aux: { num: string; lib: string } | null;
  lib: string;
  debitCents: number;
  creditCents: number;
}

/** One document's entry: balanced by construction (the 411 line is the sum of the others). */
export function journalEntry(doc: Pick<IssuedDocument, 'kind' | 'number' | 'grossCents' | 'groups' | 'client' | 'creditedInvoice'>): JournalLine[] {
  const credit = doc.kind === 'credit_note';
  const what = credit ? `Avoir ${doc.number}${doc.creditedInvoice?.number ? ` sur ${doc.creditedInvoice.number}` : ''}` : `Facture ${doc.number}`;
  const side = (cents: number, onDebit: boolean) => (onDebit ? { debitCents: cents, creditCents: 0 } : { debitCents: 0, creditCents: cents });
  const lines: JournalLine[] = [];
  const revenue = doc.groups.filter((g) => g.netCents !== 0);
  const vatByRate = new Map<number, number>();
  for (const g of doc.groups) vatByRate.set(g.vatRateBasisPoints, (vatByRate.get(g.vatRateBasisPoints) ?? 0) + g.vatCents);
  const total = revenue.reduce((s, g) => s + g.netCents, 0) + [...vatByRate.values()].reduce((s, v) => s + v, 0);
  lines.push({ account: ACCOUNTS.clients, aux: { num: doc.client.id, lib: doc.client.displayName }, lib: `${what} ${doc.client.displayName}`, ...side(total, !credit) });
  for (const g of revenue) {
    lines.push({ account: g.supplyKind === 'goods' ? ACCOUNTS.goods : ACCOUNTS.services, aux: null, lib: `${what} HT ${rate(g.vatRateBasisPoints)}`, ...side(g.netCents, credit) });
  }
  for (const [r, vat] of [...vatByRate.entries()].sort((a, b) => b[0] - a[0])) {
    if (vat !== 0) lines.push({ account: ACCOUNTS.vat, aux: null, lib: `${what} TVA ${rate(r)}`, ...side(vat, credit) });
  }
  return lines;
}

export function fecText(docs: readonly Pick<IssuedDocument, 'kind' | 'number' | 'issueDay' | 'grossCents' | 'groups' | 'client' | 'creditedInvoice'>[]): string {
  const rows: string[] = [FEC_COLUMNS.join(SEPARATOR)];
  for (const doc of docs) {
    const date = fecDate(doc.issueDay);
    for (const line of journalEntry(doc)) {
      rows.push(
        [
          'VE',
          'Ventes',
          doc.number,
          date,
          line.account.num,
          line.account.lib,
          line.aux?.num ?? '',
          line.aux ? cell(line.aux.lib) : '',
          doc.number,
          date,
          cell(line.lib),
          fecAmount(line.debitCents),
          fecAmount(line.creditCents),
          '',
          '',
          date,
          '',
          '',
        ].join(SEPARATOR),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** `invoicing.accountingJournal`: the FEC-layout sales journal of the issued documents of a period. */
export async function exportAccountingJournal(deps: TenantDeps, input: TExportPeriodInput) {
  const docs = await loadIssuedInPeriod(deps.tx, deps.actor.tenantId, input);
  const organisation = await deps.tx.organisation.findUniqueOrThrow({ where: { id: deps.actor.tenantId }, select: { siren: true } });
  return {
    fileName: `${organisation.siren ?? 'journal'}FEC${fecDate(input.to)}.txt`,
    mimeType: 'text/plain;charset=utf-8',
    entries: docs.length,
    content: fecText(docs),
  };
}
