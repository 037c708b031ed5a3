import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useDialogs } from '../../components/confirm-dialog.tsx';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { fetchDocument, InvoiceStatusBadge, invoiceTitle, saveDocument } from './invoice-common.tsx';
import { PlatformStatus } from './platform-status.tsx';

const rate = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const percent = (basisPoints: number) => `${rate.format(basisPoints / 100)} %`;

/** One invoice or credit note: what it says, its PDF as issued, and what may be done with it. */
export function InvoicePage() {
  const { invoiceId = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dialogs = useDialogs();
  const canWrite = useCan('invoices.write');
  const invoice = useQuery(trpc.invoices.get.queryOptions({ invoiceId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.invoices.pathKey() });
  const issue = useMutation(trpc.invoices.issue.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.invoices.deleteDraft.mutationOptions({ onSuccess: () => { refresh(); void navigate('/factures'); } }));
  const send = useMutation(trpc.invoices.send.mutationOptions());
  const credit = useMutation(trpc.invoices.createCreditNote.mutationOptions({ onSuccess: (note) => { refresh(); void navigate(`/factures/${note.id}`); } }));
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const pdf = invoice.data?.documents.find((d) => d.kind === 'invoice_pdf');
  const pdfUrl = usePdfUrl(pdf?.id);
  if (!invoice.data) return <p>{invoice.isError ? messageOf(invoice.error) : t.app.loading}</p>;
  const v = invoice.data;
  const i = t.invoices;
  const failed = [issue, remove, credit, send].find((m) => m.isError)?.error;
  const missing = Object.values(fieldErrorsOf(failed)).flat();
  const creditable = v.kind === 'invoice' && v.status !== 'draft' && v.grossCents - v.creditedCents > 0;

  const onIssue = async () => {
    const ok = await dialogs.confirm({ title: i.issueTitle(v.client.displayName), message: i.issueMessage, confirmLabel: i.issue });
    if (ok) issue.mutate({ invoiceId: v.id });
  };
  const onDelete = async () => {
    const ok = await dialogs.confirm({ title: i.deleteTitle, message: i.deleteMessage, confirmLabel: i.delete, danger: true });
    if (ok) remove.mutate({ invoiceId: v.id });
  };
  const onCredit = async () => {
    const reason = await dialogs.prompt({
      title: i.creditTitle(v.number ?? ''),
      message: i.creditMessage(formatEur(v.grossCents - v.creditedCents)),
      confirmLabel: i.createCredit,
      danger: true,
      field: { label: i.creditReason },
    });
    if (reason) credit.mutate({ invoiceId: v.id, reason });
  };
  const download = (document: (typeof v.documents)[number]) => {
    setDownloadError(null);
    saveDocument(document).catch((error: unknown) => setDownloadError(error instanceof Error ? error.message : t.app.error));
  };

  return (
    <section className="stack">
      <Link to="/factures">{i.back}</Link>
      <div className="page-header">
        <h1>{invoiceTitle(v)} <InvoiceStatusBadge status={v.status} label={v.statusLabel} /></h1>
        {canWrite && (
          <div className="actions">
            {v.status === 'draft' && <button type="button" className="button button--primary" onClick={() => void onIssue()} disabled={issue.isPending}>{i.issue}</button>}
            {v.status === 'draft' && <button type="button" className="button button--danger" onClick={() => void onDelete()} disabled={remove.isPending}>{i.delete}</button>}
            {v.status !== 'draft' && <button type="button" className="button button--ghost" onClick={() => send.mutate({ invoiceId: v.id })} disabled={send.isPending}>{i.send}</button>}
            {creditable && <button type="button" className="button button--ghost" onClick={() => void onCredit()} disabled={credit.isPending}>{i.createCredit}</button>}
          </div>
        )}
      </div>
      <FormMessage error={downloadError ?? messageOf(failed)} success={send.data ? i.sent(send.data.recipient) : null} />
      {missing.length > 0 && (
        <div className="card" role="alert">
          <h2>{i.missingTitle}</h2>
          <ul>{missing.map((m) => <li key={m}>{m}</li>)}</ul>
          <p><Link to="/parametres/facturation">{i.completeSettings}</Link></p>
        </div>
      )}
      <div className="card">
        <dl className="facts">
          <dt>{i.client}</dt><dd><Link to={`/clients/${v.client.id}`}>{v.client.displayName}</Link> ({v.buyerKind === 'business' ? i.business : i.consumer})</dd>
          {v.contract && <><dt>{i.contract}</dt><dd><Link to={`/contrats/${v.contract.id}`}>{v.contract.number}</Link></dd></>}
          {v.creditedInvoice && <><dt>{i.corrects}</dt><dd><Link to={`/factures/${v.creditedInvoice.id}`}>{v.creditedInvoice.number}</Link>{v.creditedInvoice.issueDate && ` ${i.ofDate(formatDate(v.creditedInvoice.issueDate))}`}</dd></>}
          <dt>{i.issueDate}</dt><dd>{v.issueDate ? formatDate(v.issueDate) : i.notIssued}</dd>
          {v.dueDate && <><dt>{i.dueDate}</dt><dd>{formatDate(v.dueDate)}</dd></>}
          {v.periodStart && v.periodEnd && <><dt>{i.period}</dt><dd>{i.fromTo(formatDate(v.periodStart), formatDate(v.periodEnd))}</dd></>}
          {v.deliveryDate && <><dt>{i.deliveryDate}</dt><dd>{formatDate(v.deliveryDate)}</dd></>}
          <dt>{i.paymentMethod}</dt><dd>{t.invoices.methods[v.paymentMethod] ?? v.paymentMethod}{v.debitDate && ` — ${i.debitOn(formatDate(v.debitDate))}`}</dd>
          {v.mandate && <><dt>{i.mandate}</dt><dd>{v.mandate.rum}</dd></>}
          {v.debits.length > 0 && <><dt>{i.debits}</dt><dd>{v.debits.map((d) => i.debitLine(d.dueDate ? formatDate(d.dueDate) : '—', formatEur(d.amountCents), i.debitStatuses[d.status] ?? d.status)).join(' ; ')}</dd></>}
          {v.reason && <><dt>{i.reason}</dt><dd>{v.reason}</dd></>}
        </dl>
      </div>
      <div className="table-wrap"><table className="table table--stack">
        <thead><tr><th>{i.line}</th><th>{i.quantity}</th><th>{i.unitPrice}</th><th>{i.vat}</th><th>{i.net}</th></tr></thead>
        <tbody>
          {v.lines.map((line) => (
            <tr key={line.id}>
              <td>{line.label}{line.periodStart && line.periodEnd && <small className="muted"> {i.fromTo(formatDate(line.periodStart), formatDate(line.periodEnd))}</small>}</td>
              <td data-label={i.quantity}>{line.quantity}</td>
              <td data-label={i.unitPrice}>{formatEur(line.unitPriceCents)}</td>
              <td data-label={i.vat}>{line.vatCategory === 'E' ? i.exempt : percent(line.vatRateBasisPoints)}</td>
              <td data-label={i.net}>{formatEur(line.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <div className="card">
        <dl className="facts">
          <dt>{i.totalNet}</dt><dd>{formatEur(v.netCents)}</dd>
          <dt>{i.totalVat}</dt><dd>{formatEur(v.vatCents)}</dd>
          <dt>{i.totalGross}</dt><dd><strong>{formatEur(v.grossCents)}</strong></dd>
          {v.kind === 'invoice' && v.status !== 'draft' && <>
            <dt>{i.paid}</dt><dd>{formatEur(v.paidCents)}</dd>
            {v.creditedCents > 0 && <><dt>{i.credited}</dt><dd>{formatEur(v.creditedCents)}</dd></>}
            <dt>{i.remaining}</dt><dd>{formatEur(v.remainingCents)}</dd>
          </>}
        </dl>
        {v.creditNotes.length > 0 && (
          <p>{i.creditNotes}: {v.creditNotes.map((c, n) => <span key={c.id}>{n > 0 && ', '}<Link to={`/factures/${c.id}`}>{c.number}</Link> ({formatEur(c.grossCents)})</span>)}</p>
        )}
      </div>
      {v.documents.length > 0 && (
        <div className="card stack">
          <h2>{i.files}</h2>
          <p className="muted">{i.retention}</p>
          <div className="actions">
            {v.documents.map((d) => (
              <button key={d.id} type="button" className="button button--ghost" onClick={() => download(d)} title={`sha256 ${d.sha256}`}>
                {i.fileKinds[d.kind as keyof typeof i.fileKinds] ?? d.fileName}
              </button>
            ))}
          </div>
          {v.buyerKind === 'business' && v.status !== 'draft' && <PlatformStatus invoiceId={v.id} />}
          {pdfUrl && <iframe className="pdf-preview" src={pdfUrl} title={invoiceTitle(v)} />}
        </div>
      )}
    </section>
  );
}

/** An object URL of the issued PDF for the preview frame, revoked when the page leaves. */
function usePdfUrl(documentId: string | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!documentId) return;
    let created: string | null = null;
    let live = true;
    fetchDocument(documentId)
      .then((blob) => {
        if (!live) return;
        created = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
        setUrl(created);
      })
      .catch(() => setUrl(null));
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [documentId]);
  return url;
}
