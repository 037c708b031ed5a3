import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { LinesTable, monthLabel } from './commission-common.tsx';

/** A rep's commissions: the month so far against the target, then their lines. */
export function RepCommissionsPage() {
  const { salesRepId = '' } = useParams();
  const trpc = useTRPC();
  const lines = useQuery(trpc.commissions.lines.queryOptions({ salesRepId }));
  return (
    <section className="stack">
      <p><Link to="/commissions">{t.commissions.back}</Link></p>
      <RepCommissionBlock salesRepId={salesRepId} />
      <FormMessage error={lines.isError ? messageOf(lines.error) : null} />
      {lines.isSuccess && <LinesTable lines={lines.data} />}
    </section>
  );
}

/** The rep's page block: earned and provisional commission this month, signed contracts against the month's target. */
export function RepCommissionBlock({ salesRepId }: { salesRepId: string }) {
  const trpc = useTRPC();
  const b = t.commissions.repBlock;
  const summary = useQuery(trpc.commissions.repSummary.queryOptions({ salesRepId }));
  if (summary.isError) return <FormMessage error={messageOf(summary.error)} />;
  if (!summary.data) return <p className="muted">{t.app.loading}</p>;
  const s = summary.data;
  const pct = (value: number | null) => (value === null ? '—' : `${String(value).replace('.', ',')} %`);
  return (
    <section className="card stack" aria-label={b.title}>
      <h2>{b.title} ({monthLabel(s.month)})</h2>
      <dl className="facts">
        <div><dt>{b.earned}</dt><dd>{formatEur(s.earnedCents)}</dd></div>
        <div><dt>{b.provisional}</dt><dd>{formatEur(s.provisionalCents)}</dd></div>
        <div><dt>{b.carried}</dt><dd>{formatEur(s.carriedCents)}</dd></div>
        <div><dt>{b.signed}</dt><dd>{s.signedContracts} · {formatEur(s.signedValueCents)}</dd></div>
        <div><dt>{b.target}</dt><dd>{s.target ? `${formatEur(s.target.revenueCents)} · ${s.target.contractsCount}` : b.noTarget}</dd></div>
        <div><dt>{b.achievement}</dt><dd>{pct(s.achievement.revenuePercent)} · {pct(s.achievement.contractsPercent)}</dd></div>
      </dl>
    </section>
  );
}
