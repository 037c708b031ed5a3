import { A4, frenchEur, frenchPdf, MARGIN, MUTED, type Layout } from '../invoices/invoice-pdf.ts';
import { share } from './commission-rules.ts';
import { statementPeriod, type StatementDocument } from './statement-document.ts';

/**
 * The French PDFs of a commission statement (relevé de commissions, C. trav. L7313-7: a detailed
 * statement) and, for an independent agent, its self-billing invoice (autofacturation, CGI art.
 * 289-I-2 and annexe II art. 242 nonies A: the mention "Autofacturation", issued by the principal
 * in the agent's name, its own numbering series, both parties' identities, the period, amounts
 * excl. VAT, VAT and incl. VAT or the franchise mention; EN 16931 type 389). Pure: same document,
 * same bytes (no clock; fonts and layout of the invoices).
 */

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const frenchMonth = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
const frenchDate = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export const KIND_LABEL: Record<string, string> = {
  one_shot: 'Prime',
  recurring: 'Encaissement',
  tier: 'Paliers',
  cap: 'Plafond',
  override: 'Encadrement',
  clawback: 'Reprise',
  adjustment: 'Ajustement',
};

const RIGHT = A4.width - MARGIN;

function organisationLine(doc: StatementDocument): string {
  const o = doc.organisation;
  return [
    [o.name, o.legalForm].filter(Boolean).join(' '),
    o.shareCapitalCents !== null ? `au capital de ${frenchEur(o.shareCapitalCents)}` : null,
    o.rcsCity && o.siren ? `RCS ${o.rcsCity} ${o.siren}` : o.siren ? `SIREN ${o.siren}` : null,
    o.vatNumber ? `TVA ${o.vatNumber}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function facts(layout: Layout, rows: [string, string][]) {
  for (const [label, value] of rows) {
    layout.text(label, MARGIN, { color: MUTED });
    layout.text(value, MARGIN + 150);
    layout.y -= 13;
  }
}

export async function renderStatementPdf(doc: StatementDocument): Promise<Uint8Array> {
  const { pdf, layout } = await frenchPdf();
  layout.text(doc.organisation.name, MARGIN, { size: 13, bold: true });
  layout.textRight('RELEVÉ DE COMMISSIONS', RIGHT, { size: 15, bold: true });
  layout.y -= 16;
  layout.text(doc.organisation.address, MARGIN, { size: 8, color: MUTED });
  layout.y -= 24;
  facts(layout, [
    ['Relevé n°', doc.number],
    ['Période', `${frenchMonth(doc.month)} (du ${frenchDate(statementPeriod(doc).start)} au ${frenchDate(statementPeriod(doc).end)})`],
    ["Date d'émission", frenchDate(doc.issueDate)],
    ['Commercial', `${doc.rep.name} (${doc.rep.code})`],
    ['Statut', doc.commissionStatus === 'agent' ? 'Agent commercial indépendant' : 'Salarié (VRP)'],
    ...(doc.rep.payrollId ? ([['Matricule', doc.rep.payrollId]] as [string, string][]) : []),
    ...(doc.selfBillingNumber ? ([['Autofacture', doc.selfBillingNumber]] as [string, string][]) : []),
  ]);
  layout.y -= 10;
  layout.band(16);
  layout.text('Date', MARGIN + 4, { bold: true });
  layout.text('Nature', MARGIN + 64, { bold: true });
  layout.text('Libellé', MARGIN + 140, { bold: true });
  layout.text('Contrat', 400, { bold: true });
  layout.textRight('Montant', RIGHT - 4, { bold: true });
  layout.y -= 18;
  if (doc.lines.length === 0) {
    layout.text('Aucune ligne ce mois-ci.', MARGIN + 4, { color: MUTED });
    layout.y -= 13;
  }
  for (const line of doc.lines) {
    layout.ensure(14);
    layout.text(frenchDate(line.earnedOn), MARGIN + 4, { size: 8 });
    layout.text(KIND_LABEL[line.kind] ?? line.kind, MARGIN + 64, { size: 8 });
    const label = line.reason ? `${line.label} : ${line.reason}` : line.label;
    layout.text(label.length > 48 ? `${label.slice(0, 47)}…` : label, MARGIN + 140, { size: 8 });
    layout.text(line.contractNumber ?? '', 400, { size: 8 });
    layout.textRight(frenchEur(line.amountCents), RIGHT - 4, { size: 8 });
    layout.y -= 12;
  }
  layout.y -= 8;
  layout.rule();
  layout.y -= 14;
  const t = doc.totals;
  const totals: [string, number, boolean][] = [
    ['Solde reporté du relevé précédent', t.openingBalanceCents, false],
    ['Commissions du mois', t.linesCents, false],
    ['Reprises', t.clawbacksCents, false],
    ['Ajustements', t.adjustmentsCents, false],
    ['Total', t.totalCents, true],
    ['Net à payer', t.netPayableCents, true],
    ['Solde négatif reporté sur le prochain relevé', t.carriedForwardCents, false],
  ];
  for (const [label, cents, bold] of totals) {
    layout.ensure(14);
    layout.text(label, 300, { bold });
    layout.textRight(frenchEur(cents), RIGHT - 4, { bold });
    layout.y -= 13;
  }
  layout.y -= 10;
  layout.paragraph(
    'Un solde négatif n’est jamais déduit de la rémunération : il est reporté sur le relevé suivant. Une reprise renvoie à la ligne qu’elle reprend ; un relevé émis n’est jamais modifié, une correction figure sur le relevé suivant.',
    MARGIN,
    A4.width - 2 * MARGIN,
    { size: 8, color: MUTED },
  );
  footer(layout, doc.number, organisationLine(doc));
  pdf.setTitle(`Relevé de commissions ${doc.number}`);
  pdf.setAuthor(doc.organisation.name);
  return pdf.save({ useObjectStreams: false });
}

/** The agent's VAT: 20 % of the amount excl. VAT unless in the franchise (art. 293 B du CGI). */
export function selfBillingAmounts(doc: StatementDocument) {
  const netCents = doc.totals.netPayableCents;
  const vatRateBasisPoints = doc.rep.vatFranchise ? 0 : 2_000;
  const vatCents = share(netCents, vatRateBasisPoints);
  return { netCents, vatRateBasisPoints, vatCents, grossCents: netCents + vatCents };
}

export async function renderSelfBillingPdf(doc: StatementDocument): Promise<Uint8Array> {
  if (!doc.selfBillingNumber) throw new Error('only an agent’s statement has a self-billing invoice');
  const { pdf, layout } = await frenchPdf();
  const width = A4.width - 2 * MARGIN;
  layout.textRight('FACTURE — AUTOFACTURATION', RIGHT, { size: 15, bold: true });
  layout.y -= 26;
  layout.text('Fournisseur (agent commercial)', MARGIN, { bold: true });
  layout.text('Client (mandant)', 320, { bold: true });
  layout.y -= 13;
  const agent = [doc.rep.legalName ?? doc.rep.name, doc.rep.address ?? 'Adresse à compléter', doc.rep.siren ? `SIREN ${doc.rep.siren}` : 'SIREN à compléter', doc.rep.vatNumber ? `TVA ${doc.rep.vatNumber}` : null].filter(
    (l): l is string => Boolean(l),
  );
  const principal = [doc.organisation.name, doc.organisation.address, doc.organisation.siren ? `SIREN ${doc.organisation.siren}` : null, doc.organisation.vatNumber ? `TVA ${doc.organisation.vatNumber}` : null].filter(
    (l): l is string => Boolean(l),
  );
  for (let i = 0; i < Math.max(agent.length, principal.length); i++) {
    if (agent[i]) layout.text(agent[i]!, MARGIN, { size: 8 });
    if (principal[i]) layout.text(principal[i]!, 320, { size: 8 });
    layout.y -= 11;
  }
  layout.y -= 12;
  facts(layout, [
    ['Facture n°', doc.selfBillingNumber],
    ["Date d'émission", frenchDate(doc.issueDate)],
    ['Période', `du ${frenchDate(statementPeriod(doc).start)} au ${frenchDate(statementPeriod(doc).end)}`],
    ['Type', 'Autofacture (code 389)'],
    ['Relevé de commissions', doc.number],
  ]);
  layout.y -= 8;
  const amounts = selfBillingAmounts(doc);
  layout.band(16);
  layout.text('Désignation', MARGIN + 4, { bold: true });
  layout.textRight('Montant HT', RIGHT - 4, { bold: true });
  layout.y -= 18;
  layout.text(`Commissions d’agent commercial, ${frenchMonth(doc.month)} (relevé ${doc.number})`, MARGIN + 4);
  layout.textRight(frenchEur(amounts.netCents), RIGHT - 4);
  layout.y -= 18;
  layout.rule();
  layout.y -= 14;
  const rows: [string, string][] = [
    ['Total HT', frenchEur(amounts.netCents)],
    [amounts.vatRateBasisPoints ? `TVA ${amounts.vatRateBasisPoints / 100} %` : 'TVA', frenchEur(amounts.vatCents)],
    ['Total TTC', frenchEur(amounts.grossCents)],
  ];
  for (const [label, value] of rows) {
    layout.text(label, 320, { bold: label === 'Total TTC' });
    layout.textRight(value, RIGHT - 4, { bold: label === 'Total TTC' });
    layout.y -= 13;
  }
  layout.y -= 10;
  layout.text('Mentions', MARGIN, { bold: true });
  layout.y -= 13;
  const mentions = [
    'Autofacturation.',
    `Facture émise par ${doc.organisation.name}, client, au nom et pour le compte de ${doc.rep.legalName ?? doc.rep.name}, fournisseur, en vertu d’un mandat d’autofacturation (article 289-I-2 du CGI). Le fournisseur dispose d’un délai de 30 jours pour la contester.`,
    ...(doc.rep.vatFranchise ? ['TVA non applicable, art. 293 B du CGI.'] : []),
    'Paiement par virement à réception. Pas d’escompte pour paiement anticipé.',
  ];
  for (const text of mentions) layout.paragraph(text, MARGIN, width, { size: 8 });
  footer(layout, doc.selfBillingNumber, organisationLine(doc));
  pdf.setTitle(`Autofacture ${doc.selfBillingNumber}`);
  pdf.setAuthor(doc.organisation.name);
  return pdf.save({ useObjectStreams: false });
}

function footer(layout: Layout, number: string, legal: string) {
  layout.pages.forEach((page, index) => {
    layout.page = page;
    layout.text(legal, MARGIN, { size: 7, color: MUTED, y: 40 });
    layout.textRight(`${number} · page ${index + 1}/${layout.pages.length}`, RIGHT, { size: 7, color: MUTED, y: 24 });
  });
}
