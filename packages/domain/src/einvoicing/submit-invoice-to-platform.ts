import type { Prisma } from '@crm/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { DocumentDeps } from '../documents/document-view.ts';
import { loadInvoice } from '../invoices/invoice-view.ts';
import { badRequest, conflict } from '../shared/errors.ts';
import type { TTransmissionInvoiceInput } from './einvoicing.schema.ts';
import { PlatformError, type InvoicePlatform } from '../platform/platform-port.ts';
import { mergeHistory } from './transmission-history.ts';
import { toTransmissionView, type HistoryEntry } from './transmission-view.ts';

export type PlatformDeps = DocumentDeps & { platform: InvoicePlatform | null };

export const NO_PLATFORM_MESSAGE =
  'Aucune plateforme configurée : cette installation n’est reliée à aucune plateforme agréée (PA_URL). Les factures ne sont pas transmises.';

async function streamBytes(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * `invoicing.submit`: deposits an issued B2B invoice's (or credit note's) CII with the platform.
 * Only with the platform's receipt is the invoice transmitted (status Déposée, platform id and
 * receipt kept, in the database's CHECK too); a failed attempt is recorded, still `pending`,
 * with its error, and may be tried again. Idempotent per invoice: the transmission row is
 * locked first, a transmitted invoice answers its transmission without calling the platform,
 * and every attempt sends the same Idempotency-Key (the invoice's id), so a deposit whose
 * answer was lost (or whose transaction did not commit) is answered again by the platform
 * with the same deposit rather than made twice.
 */
export async function submitInvoiceToPlatform(deps: PlatformDeps, input: TTransmissionInvoiceInput) {
  const { tx, actor, now, platform } = deps;
  const invoice = await loadInvoice(deps, input.invoiceId); // NOT_FOUND through the member's scope
  if (!platform) throw badRequest(NO_PLATFORM_MESSAGE, { '': [NO_PLATFORM_MESSAGE] });
  if (invoice.status === 'draft' || !invoice.number) throw conflict('Seule une facture émise peut être transmise à la plateforme');
  if (invoice.buyerKind !== 'business') {
    throw conflict('Une facture à un particulier ne se transmet pas : ses ventes sont déclarées en e-reporting (données agrégées)');
  }
  const xmlDocument = invoice.documents.find((d) => d.kind === 'invoice_xml');
  if (!xmlDocument) throw conflict(`La facture ${invoice.number} n’a pas de fichier Factur-X (XML CII) : elle ne peut pas être transmise`);

  await tx.$executeRaw`INSERT INTO invoice_transmissions (id, tenant_id, invoice_id, created_by)
    VALUES (gen_random_uuid(), ${actor.tenantId}::uuid, ${invoice.id}::uuid, ${actor.userId}::uuid)
    ON CONFLICT (tenant_id, invoice_id) DO NOTHING`;
  await tx.$queryRaw`SELECT id FROM invoice_transmissions WHERE tenant_id = ${actor.tenantId}::uuid AND invoice_id = ${invoice.id}::uuid FOR UPDATE`;
  const row = await tx.invoiceTransmission.findUniqueOrThrow({ where: { tenantId_invoiceId: { tenantId: actor.tenantId, invoiceId: invoice.id } } });
  if (row.status !== 'pending') return toTransmissionView(row, true);

  const stored = await tx.document.findFirstOrThrow({ where: { tenantId: actor.tenantId, id: xmlDocument.id }, select: { storageKey: true, fileName: true } });
  const xml = await streamBytes(await deps.documents.storage.get(stored.storageKey));
  try {
    const deposit = await platform.submit({ invoiceNumber: invoice.number, fileName: stored.fileName, xml, idempotencyKey: invoice.id });
    const deposited = deposit.statuses.length > 0 ? deposit.statuses : [{ code: '200' as const, at: deposit.receipt.receivedAt, reason: null }];
    const { history, current } = mergeHistory([], deposited);
    const saved = await tx.invoiceTransmission.update({
      where: { id: row.id },
      data: {
        platformId: deposit.platformId,
        receipt: deposit.receipt as unknown as Prisma.InputJsonValue,
        status: current!.status,
        statusCode: current!.code,
        statusAt: current!.at,
        history: history as unknown as Prisma.InputJsonValue,
        attempts: { increment: 1 },
        lastError: null,
        submittedAt: now,
        checkedAt: now,
      },
    });
    await recordAudit(tx, {
      tenantId: actor.tenantId,
      actorUserId: actor.userId,
      requestId: actor.requestId ?? null,
      action: 'invoice.transmitted',
      entityType: 'invoice',
      entityId: invoice.id,
      data: { number: invoice.number, platform: platform.name, platformId: deposit.platformId, receiptId: deposit.receipt.receiptId },
    });
    return toTransmissionView(saved, true);
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    const saved = await tx.invoiceTransmission.update({
      where: { id: row.id },
      data: { attempts: { increment: 1 }, lastError: error.message.slice(0, 500), checkedAt: now },
    });
    return toTransmissionView(saved, true);
  }
}

export type { HistoryEntry };
