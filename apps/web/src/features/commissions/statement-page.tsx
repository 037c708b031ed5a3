import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { FormMessage, TextAreaField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';
import { downloadDocument, LinesTable, monthLabel } from './commission-common.tsx';

/** One issued statement: totals, its lines, its PDF (and an agent's self-billing invoice); an adjustment for the next one. */
export function StatementPage() {
  const { statementId = '' } = useParams();
  const trpc = useTRPC();
  const c = t.commissions;
  const statement = useQuery(trpc.commissions.statement.queryOptions({ statementId }));
  const download = useMutation({ mutationFn: ({ id, name }: { id: string; name: string }) => downloadDocument(id, name) });
  if (statement.isError) return <FormMessage error={messageOf(statement.error)} />;
  if (!statement.data) return <p className="muted">{t.app.loading}</p>;
  const s = statement.data;
  const totals: [string, number][] = [
    [c.opening, s.openingBalanceCents], [c.linesTotal, s.linesCents], [c.clawbacks, s.clawbacksCents], [c.adjustments, s.adjustmentsCents],
    [c.total, s.totalCents], [c.net, s.netPayableCents], [c.carried, s.carriedForwardCents],
  ];
  return (
    <section className="stack">
      <p><Link to="/commissions">{c.back}</Link></p>
      <div className="page-header">
        <h1>{c.statementTitle(s.number)}</h1>
        <div className="form-actions">
          {s.documentId && <button type="button" className="button button--ghost" onClick={() => download.mutate({ id: s.documentId!, name: `releve-${s.number}.pdf` })}>{c.pdf}</button>}
          {s.selfBillingDocumentId && <button type="button" className="button button--ghost" onClick={() => download.mutate({ id: s.selfBillingDocumentId!, name: `autofacture-${s.selfBillingNumber}.pdf` })}>{c.selfBilling}</button>}
        </div>
      </div>
      <p>{c.statementOf(s.salesRep.name, monthLabel(s.month))}</p>
      <FormMessage error={messageOf(download.error)} />
      <dl className="facts">{totals.map(([label, cents]) => <div key={label}><dt>{label}</dt><dd>{formatEur(cents)}</dd></div>)}</dl>
      <LinesTable lines={s.lines} />
      <p className="muted">{c.immutable}</p>
      <AdjustmentForm salesRepId={s.salesRep.id} />
    </section>
  );
}

function AdjustmentForm({ salesRepId }: { salesRepId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const c = t.commissions;
  const canWrite = useCan('commissions.write');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const add = useMutation(trpc.commissions.addAdjustment.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.commissions.pathKey() }) }));
  if (!canWrite) return null;
  const errors = fieldErrorsOf(add.error);
  return (
    <form className="card stack" onSubmit={(e) => { e.preventDefault(); add.mutate({ salesRepId, amountCents: Math.round(Number(amount.replace(',', '.') || '0') * 100), reason }); }}>
      <h2>{c.adjustment}</h2>
      <div className="grid">
        <TextField label={c.adjustmentAmount} name="amountCents" inputMode="decimal" errors={errors} value={amount} onChange={(e) => setAmount(e.target.value)} />
        <TextAreaField label={c.adjustmentReason} name="reason" errors={errors} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <FormMessage error={messageOf(add.error)} success={add.isSuccess ? c.adjustmentDone : null} />
      <div className="form-actions"><button type="submit" className="button button--primary" disabled={add.isPending}>{c.adjustmentAdd}</button></div>
    </form>
  );
}
