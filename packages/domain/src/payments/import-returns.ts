import { createHash } from 'node:crypto';
import { classifyDbError, type Prisma, type Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { parseBankReturnFile } from '../sepa/bank-returns.ts';
import type { BankReturnLine, BankReturnStatus } from '../sepa/bank-return-types.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, FileTooLargeError, notFound } from '../shared/errors.ts';
import { renderBatchFile } from './batch-file.ts';
import { isoOf, parisToday } from './dates.ts';
import type { TImportReturnsInput, TReturnFileIdInput } from './payments.schema.ts';
import { settleItem } from './record-payment.ts';

/** Upper bound of a return file's size (the raw route answers 413 above it). */
export const MAX_RETURN_FILE_BYTES = 10 * 1024 * 1024;

export interface ReturnReportLine {
  endToEndId: string;
  status: BankReturnStatus;
  reasonCode: string | null;
  amountCents: number | null;
}

export interface ReturnReport {
  kind: string;
  lines: number;
  matched: number;
  rejected: number;
  settled: number;
  accepted: number;
  /** Lines naming no debit of ours still awaiting an answer (unknown, another creditor's, already answered). */
  unmatched: (ReturnReportLine & { why: string })[];
  problems: { at: string; message: string }[];
}

/**
 * Imports a bank return file (pain.002, camt.054 or the CSV), once per content: the same bytes
 * again answer the first import's report and change nothing. Each line is matched by
 * EndToEndId among this tenant's debits: a rejection (or a return after settlement) makes the
 * item rejected with a Payment (rejected, its reason code from sepa_return_reasons) and
 * payment.rejected; a settlement makes it paid with a Payment (received) and payment.received.
 * Anything else is reported, never guessed.
 */
export async function importBankReturns(deps: TenantDeps, input: { fileName: string; bytes: Uint8Array }) {
  const { tx, actor, now } = deps;
  if (input.bytes.byteLength === 0) throw badRequest('Fichier vide', { file: ['Fichier vide'] });
  if (input.bytes.byteLength > MAX_RETURN_FILE_BYTES) throw new FileTooLargeError(MAX_RETURN_FILE_BYTES);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const earlier = await tx.bankReturnFile.findFirst({ where: { tenantId: actor.tenantId, sha256 } });
  if (earlier) return { ...toReturnFileView(earlier), duplicate: true };

  const parsed = parseBankReturnFile(input.bytes);
  const file = await tx.bankReturnFile
    .create({ data: { tenantId: actor.tenantId, fileName: input.fileName.slice(0, 200), kind: parsed.fileKind, sha256, messageId: parsed.messageId, createdBy: actor.userId } })
    .catch((error: unknown) => {
      if (classifyDbError(error)?.kind === 'conflict') throw conflict('Ce fichier est en cours d’import');
      throw error;
    });

  const lines = [...parsed.lines, ...(await expandBlockStatuses(tx, actor.tenantId, parsed))];
  const reasons = new Set((await tx.sepaReturnReason.findMany({ select: { code: true } })).map((r) => r.code));
  const report: ReturnReport = { kind: parsed.fileKind, lines: lines.length, matched: 0, rejected: 0, settled: 0, accepted: 0, unmatched: [], problems: [...parsed.problems] };
  const today = parisToday(now);

  const items = await tx.scheduleItem.findMany({
    where: { tenantId: actor.tenantId, endToEndId: { in: [...new Set(lines.map((l) => l.endToEndId))] } },
    include: { batch: { select: { collectionDate: true } } },
  });
  const byE2e = new Map(items.map((item) => [item.endToEndId!, item]));

  for (const [index, line] of lines.entries()) {
    const at = `lignes.${index + 1}`;
    const entry: ReturnReportLine = { endToEndId: line.endToEndId, status: line.status, reasonCode: line.reasonCode ?? null, amountCents: line.amountCents ?? null };
    const item = byE2e.get(line.endToEndId);
    if (!item) {
      report.unmatched.push({ ...entry, why: 'Aucun prélèvement de l’organisation avec cette référence' });
      continue;
    }
    if (line.amountCents !== undefined && line.amountCents !== item.amountCents) {
      report.problems.push({ at, message: `${line.endToEndId} : montant ${line.amountCents} centimes au lieu de ${item.amountCents}, ligne ignorée` });
      continue;
    }
    const on = line.date ?? (item.batch ? isoOf(item.batch.collectionDate) : today);
    if (line.status === 'accepted') {
      if (item.status === 'submitted') {
        report.matched++;
        report.accepted++;
      } else report.unmatched.push({ ...entry, why: statusWhy(item.status) });
      continue;
    }
    if (line.status === 'rejected') {
      // A rejection answers a submitted debit; a return (R-transaction) may also follow a debit already counted as paid.
      if (item.status !== 'submitted' && item.status !== 'paid') {
        report.unmatched.push({ ...entry, why: statusWhy(item.status) });
        continue;
      }
      // The bank did not pay: a rejection stands even when its reason is missing or not in our
      // reference data (then MS03, "reason not specified", and the report says so); ignoring it
      // would let the item be settled as paid later.
      const given = line.reasonCode?.toUpperCase();
      const reasonCode = given && reasons.has(given) ? given : 'MS03';
      if (reasonCode !== given) {
        report.problems.push({ at, message: `${line.endToEndId} : code motif ${given ?? '(absent)'} inconnu, rejet enregistré comme MS03 (raison non précisée)` });
      }
      await settleItem(tx, actor.tenantId, item, { kind: 'rejected', reasonCode, on, returnFileId: file.id, createdBy: actor.userId });
      item.status = 'rejected';
      report.matched++;
      report.rejected++;
      continue;
    }
    if (item.status !== 'submitted') {
      report.unmatched.push({ ...entry, why: statusWhy(item.status) });
      continue;
    }
    await settleItem(tx, actor.tenantId, item, { kind: 'received', method: 'sepa_debit', on, returnFileId: file.id, createdBy: actor.userId });
    item.status = 'paid';
    report.matched++;
    report.settled++;
  }

  const saved = await tx.bankReturnFile.update({
    where: { id: file.id },
    data: { matched: report.matched, report: report as unknown as Prisma.InputJsonValue },
  });
  await auditAs(tx, actor, {
    action: 'bank_returns.imported',
    entityType: 'bank_return_file',
    entityId: file.id,
    data: { kind: parsed.fileKind, matched: report.matched, unmatched: report.unmatched.length },
  });
  return { ...toReturnFileView(saved), duplicate: false };
}

const statusWhy = (status: string): string =>
  ({
    planned: 'Échéance non remise à la banque',
    batched: 'Lot pas encore marqué envoyé',
    paid: 'Déjà réglée',
    rejected: 'Déjà rejetée',
    cancelled: 'Échéance annulée',
  })[status] ?? 'Statut incompatible';

/**
 * A pain.002 may answer a whole file (group status) or a payment block (PmtInfId) without
 * transaction detail: those statuses become one line per debit of the answered batch (found
 * by its MsgId; the block's debits from the batch's own file layout).
 */
async function expandBlockStatuses(tx: Tx, tenantId: string, parsed: ReturnType<typeof parseBankReturnFile>): Promise<BankReturnLine[]> {
  if (!parsed.originalMessageId || (!parsed.groupStatus && parsed.blocks.length === 0)) return [];
  const batch = await tx.sepaBatch.findFirst({ where: { tenantId, messageId: parsed.originalMessageId, status: 'sent' } });
  if (!batch) return [];
  const explicit = new Set(parsed.lines.map((line) => line.endToEndId));
  const file = await renderBatchFile(tx, tenantId, batch.id);
  const out: BankReturnLine[] = [];
  const add = (endToEndId: string, status: BankReturnStatus, reasonCode: string | undefined) => {
    if (explicit.has(endToEndId) || status === 'accepted') return;
    explicit.add(endToEndId);
    out.push(reasonCode ? { endToEndId, status, reasonCode } : { endToEndId, status });
  };
  for (const block of parsed.blocks) {
    const info = file.paymentInfos.find((p) => p.paymentInfoId === block.paymentInfoId);
    for (const e2e of info?.endToEndIds ?? []) add(e2e, block.status, block.reasonCode);
  }
  if (parsed.groupStatus) for (const info of file.paymentInfos) for (const e2e of info.endToEndIds) add(e2e, parsed.groupStatus.status, parsed.groupStatus.reasonCode);
  return out;
}

type ReturnFileRow = Prisma.BankReturnFileGetPayload<object>;

function toReturnFileView(f: ReturnFileRow) {
  return {
    id: f.id,
    fileName: f.fileName,
    kind: f.kind,
    messageId: f.messageId,
    matched: f.matched,
    report: f.report as unknown as ReturnReport,
    createdAt: f.createdAt.toISOString(),
  };
}

/** tRPC face: the file as base64 (the web app uses the raw POST /bank-returns route). */
export function importBankReturnsBase64(deps: TenantDeps, input: TImportReturnsInput) {
  const bytes = Buffer.from(input.contentBase64, 'base64');
  return importBankReturns(deps, { fileName: input.fileName, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
}

export async function listReturnFiles({ tx, actor }: TenantDeps) {
  const rows = await tx.bankReturnFile.findMany({ where: { tenantId: actor.tenantId }, orderBy: { createdAt: 'desc' }, take: 200 });
  return rows.map(toReturnFileView);
}

export async function getReturnFile({ tx, actor }: TenantDeps, input: TReturnFileIdInput) {
  const row = await tx.bankReturnFile.findFirst({ where: { id: input.returnFileId, tenantId: actor.tenantId } });
  if (!row) throw notFound('Fichier de retours');
  return toReturnFileView(row);
}
