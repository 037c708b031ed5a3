import { createHash } from 'node:crypto';
import { classifyDbError, type Prisma, type Tx } from '@crm/db';
import { auditAs } from '../audit/record-audit.ts';
import { parseBankReturnFile } from '../sepa/bank-returns.ts';
import type { BankReturnFile, BankReturnProblem, BankReturnStatus } from '../sepa/bank-return-types.ts';
import type { ReasonPolicy } from '../sepa/sepa-reason-codes.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, conflict, FileTooLargeError, notFound } from '../shared/errors.ts';
import { fileNameOf } from '../shared/input-rules.ts';
import { isoOf, parisToday } from './dates.ts';
import { decideReturnLine, type ReturnLine, type ReturnLineSource } from './bank-return-rules.ts';
import { keysetPages } from './list-pages.ts';
import type { TImportReturnsInput, TListReturnFilesInput, TReturnFileIdInput } from './payments.schema.ts';
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
  /** Lines naming no debit of ours awaiting that answer (unknown, another creditor's, not sent, already settled). */
  unmatched: (ReturnReportLine & { why: string })[];
  /** What was not applied and needs a person: a rejection of a debit already paid or already rejected, an unknown code... */
  problems: { at: string; message: string }[];
}

/**
 * Imports a bank return file (pain.002, camt.054 or the CSV), once per content: the same bytes
 * again answer the first import's report and change nothing. Each line is matched by
 * EndToEndId among this tenant's debits, from what each batch froze when it was built (never by
 * making our file again). A rejection of a submitted debit is a reject; of a debit already paid,
 * named by its line, a return or a refund that reopens the amount; a status for a whole file or
 * block touches only the debits still awaiting an answer; a debit is never rejected twice, by
 * another file or a later line (the rules: bank-return-rules.ts). The reason code is kept as
 * received, with its category. A settlement makes a submitted debit paid. Anything else is
 * reported, never guessed.
 */
export async function importBankReturns(deps: TenantDeps, input: { fileName: string; bytes: Uint8Array }) {
  const { tx, actor, now } = deps;
  const fileName = fileNameOf(input.fileName, 'retours');
  if (input.bytes.byteLength === 0) throw badRequest('Fichier vide', { file: ['Fichier vide'] });
  if (input.bytes.byteLength > MAX_RETURN_FILE_BYTES) throw new FileTooLargeError(MAX_RETURN_FILE_BYTES);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const earlier = await tx.bankReturnFile.findFirst({ where: { tenantId: actor.tenantId, sha256 } });
  if (earlier) return { ...toReturnFileView(earlier), duplicate: true };

  const parsed = parseBankReturnFile(input.bytes);
  const file = await tx.bankReturnFile
    .create({ data: { tenantId: actor.tenantId, fileName, kind: parsed.fileKind, sha256, messageId: parsed.messageId, createdBy: actor.userId } })
    .catch((error: unknown) => {
      if (classifyDbError(error)?.kind === 'conflict') throw conflict('Ce fichier est en cours d’import');
      throw error;
    });
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { sepaMs03InsufficientFunds: true } });
  const policy: ReasonPolicy = { ms03MeansInsufficientFunds: organisation.sepaMs03InsufficientFunds };

  const spread = await spreadWholeStatuses(tx, actor.tenantId, parsed);
  const lines: ReturnLine[] = [...parsed.lines.map((line) => ({ ...line, source: 'line' as const })), ...spread.lines];
  const report: ReturnReport = {
    kind: parsed.fileKind,
    lines: lines.length,
    matched: 0,
    rejected: 0,
    settled: 0,
    accepted: 0,
    unmatched: [],
    problems: [...parsed.problems, ...spread.problems],
  };
  const today = parisToday(now);

  // The debits the file names, locked before they are read: two return files imported at the same
  // time naming one debit apply one after the other, so the second sees what the first did
  // (id order, so two imports never wait for each other's locks).
  const endToEndIds = [...new Set(lines.map((l) => l.endToEndId))];
  await tx.$queryRaw`SELECT id FROM schedule_items WHERE tenant_id = ${actor.tenantId}::uuid AND end_to_end_id = ANY(${endToEndIds}::text[]) ORDER BY id FOR UPDATE`;
  const items = await tx.scheduleItem.findMany({
    where: { tenantId: actor.tenantId, endToEndId: { in: endToEndIds } },
    include: { batch: { select: { collectionDate: true } }, payments: { where: { outcome: 'rejected' }, select: { returnFileId: true }, orderBy: { createdAt: 'desc' }, take: 1 } },
  });
  const byE2e = new Map(items.map((item) => [item.endToEndId!, item]));

  for (const [index, line] of lines.entries()) {
    const at = `lignes.${index + 1}`;
    const entry: ReturnReportLine = { endToEndId: line.endToEndId, status: line.status, reasonCode: line.reasonCode ?? null, amountCents: line.amountCents ?? null };
    const item = byE2e.get(line.endToEndId);
    const debit = item && { status: item.status, amountCents: item.amountCents, rejectedBy: item.payments[0]?.returnFileId ?? null };
    const decision = decideReturnLine(line, debit, file.id, policy);
    if (decision.kind === 'unmatched') report.unmatched.push({ ...entry, why: decision.why });
    else if (decision.kind === 'problem') report.problems.push({ at, message: decision.message });
    else if (decision.kind === 'accept') {
      report.matched++;
      report.accepted++;
    } else if (item) {
      const on = line.date ?? (item.batch ? isoOf(item.batch.collectionDate) : today);
      if (decision.kind === 'reject') {
        if (decision.problem) report.problems.push({ at, message: decision.problem });
        const { reasonCode, reasonCategory, rTransaction } = decision;
        await settleItem(tx, actor.tenantId, item, { kind: 'rejected', reasonCode, reasonCategory, rTransaction, on, returnFileId: file.id, createdBy: actor.userId }, [item.status]);
        item.status = 'rejected';
        item.payments = [{ returnFileId: file.id }];
        report.rejected++;
      } else {
        await settleItem(tx, actor.tenantId, item, { kind: 'received', method: 'sepa_debit', on, returnFileId: file.id, createdBy: actor.userId }, [item.status]);
        item.status = 'paid';
        report.settled++;
      }
      report.matched++;
    }
  }

  const saved = await tx.bankReturnFile.update({
    where: { id: file.id },
    data: { matched: report.matched, report: report as unknown as Prisma.InputJsonValue },
  });
  await auditAs(tx, actor, {
    action: 'bank_returns.imported',
    entityType: 'bank_return_file',
    entityId: file.id,
    data: { kind: parsed.fileKind, matched: report.matched, unmatched: report.unmatched.length, problems: report.problems.length },
  });
  return { ...toReturnFileView(saved), duplicate: false };
}

/**
 * A pain.002 may answer a whole file (group status) or a payment block (PmtInfId) without
 * transaction detail: those statuses become one line per debit of the answered batch, found by
 * its MsgId. The debits are those the batch froze: all its items for the file, and for a block
 * the EndToEndIds under that PmtInfId in the file stored when the batch was built (our file is
 * never made again: a mandate changed since, a Swiss IBAN, a creditor setting, would change or
 * break it). Lines the file gives one by one take precedence; acceptances change nothing.
 */
async function spreadWholeStatuses(tx: Tx, tenantId: string, parsed: BankReturnFile): Promise<{ lines: ReturnLine[]; problems: BankReturnProblem[] }> {
  const lines: ReturnLine[] = [];
  const problems: BankReturnProblem[] = [];
  if (!parsed.originalMessageId || (!parsed.groupStatus && parsed.blocks.length === 0)) return { lines, problems };
  const batch = await tx.sepaBatch.findFirst({ where: { tenantId, messageId: parsed.originalMessageId, status: 'sent' }, select: { id: true } });
  if (!batch) {
    problems.push({ at: 'OrgnlGrpInfAndSts', message: `Fichier d’origine ${parsed.originalMessageId} inconnu ou non envoyé : statut de fichier ou de lot non appliqué` });
    return { lines, problems };
  }
  const explicit = new Set(parsed.lines.map((line) => line.endToEndId));
  const add = (endToEndId: string, status: BankReturnStatus, reasonCode: string | undefined, source: ReturnLineSource) => {
    if (explicit.has(endToEndId) || status === 'accepted') return;
    explicit.add(endToEndId);
    lines.push(reasonCode ? { endToEndId, status, reasonCode, source } : { endToEndId, status, source });
  };
  if (parsed.blocks.length > 0) {
    const stored = await tx.sepaBatchFile.findUnique({ where: { tenantId_batchId: { tenantId, batchId: batch.id } }, select: { xml: true } });
    const blocks = stored ? debitsByPaymentInfo(stored.xml) : new Map<string, string[]>();
    parsed.blocks.forEach((block, index) => {
      const endToEndIds = blocks.get(block.paymentInfoId);
      if (!endToEndIds) {
        problems.push({ at: `OrgnlPmtInfAndSts[${index + 1}]`, message: `Lot ${block.paymentInfoId} absent du fichier ${parsed.originalMessageId} conservé : statut non appliqué` });
        return;
      }
      for (const endToEndId of endToEndIds) add(endToEndId, block.status, block.reasonCode, 'block');
    });
  }
  if (parsed.groupStatus) {
    const items = await tx.scheduleItem.findMany({ where: { tenantId, batchId: batch.id }, select: { endToEndId: true }, orderBy: { endToEndId: 'asc' } });
    for (const item of items) if (item.endToEndId) add(item.endToEndId, parsed.groupStatus.status, parsed.groupStatus.reasonCode, 'file');
  }
  return { lines, problems };
}

/** PmtInfId -> EndToEndIds of one of our stored pain.008 files (the builder writes one `<PmtInf>` per block, unprefixed). */
export function debitsByPaymentInfo(xml: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const block of xml.split('<PmtInf>').slice(1)) {
    const id = /<PmtInfId>([^<]*)<\/PmtInfId>/.exec(block)?.[1];
    if (id) blocks.set(id, [...block.matchAll(/<EndToEndId>([^<]*)<\/EndToEndId>/g)].map((match) => match[1]!));
  }
  return blocks;
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

const returnFilePages = keysetPages('return-files', 'createdAt', 'desc', 'instant');

/** One page of the bank return files imported, newest first. */
export async function listReturnFiles({ tx, actor }: TenantDeps, input: TListReturnFilesInput) {
  const rows = await tx.bankReturnFile.findMany({
    where: { tenantId: actor.tenantId, AND: [returnFilePages.after<Prisma.BankReturnFileWhereInput>(input.cursor)] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  return returnFilePages.of(rows, input.limit, toReturnFileView);
}

export async function getReturnFile({ tx, actor }: TenantDeps, input: TReturnFileIdInput) {
  const row = await tx.bankReturnFile.findFirst({ where: { id: input.returnFileId, tenantId: actor.tenantId } });
  if (!row) throw notFound('Fichier de retours');
  return toReturnFileView(row);
}
