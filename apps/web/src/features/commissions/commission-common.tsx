import { t } from '../../i18n/fr.ts';
import { formatDate, formatEur } from '../../lib/format.ts';
import { sessionToken } from '../../lib/session-token.ts';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
/** "janvier 2027" for "2027-01-01". */
export const monthLabel = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/** The last month that is over, "AAAA-MM-01", in Paris. */
export function lastMonth(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + m - 2;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** Fetches a stored document with the bearer token (a plain link cannot send it) and saves it. */
export async function downloadDocument(documentId: string, fallbackName: string): Promise<void> {
  const response = await fetch(`/documents/${documentId}/download`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
  if (!response.ok) throw new Error(t.documents.downloadFailed);
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  saveBlob(await response.blob(), encoded ? decodeURIComponent(encoded) : fallbackName);
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(window.document.createElement('a'), { href: url, download: fileName });
  link.click();
  URL.revokeObjectURL(url);
}

type LineRow = { id: string; kind: string; status?: string; label: string; reason?: string | null; amountCents: number; earnedOn?: string | null; occurredOn?: string; earnAfter?: string | null; awaitsFirstDebit?: boolean; contract?: { number: string } | null; contractNumber?: string | null; salesRep?: { code: string } };

/** Commission lines: date, nature, label (and why a provisional one waits), contract, amount. */
export function LinesTable({ lines, showRep = false }: { lines: LineRow[]; showRep?: boolean }) {
  const c = t.commissions;
  return (
    <div className="table-wrap"><table className="table table--stack">
      <thead><tr><th>{c.date}</th>{showRep && <th>{c.rep}</th>}<th>{c.kind}</th><th>{c.label}</th><th>{c.contract}</th>{lines.some((l) => l.status) && <th>{c.status}</th>}<th>{c.amount}</th></tr></thead>
      <tbody>
        {lines.length === 0 && <tr><td colSpan={7} className="muted">{c.noLines}</td></tr>}
        {lines.map((l) => (
          <tr key={l.id}>
            <td data-label={c.date}>{formatDate(l.earnedOn ?? l.occurredOn ?? '')}</td>
            {showRep && <td data-label={c.rep}><code>{l.salesRep?.code}</code></td>}
            <td data-label={c.kind}>{c.kinds[l.kind] ?? l.kind}</td>
            <td data-label={c.label}>
              {l.label}{l.reason ? ` : ${l.reason}` : ''}
              {l.status === 'provisional' && l.earnAfter && <div className="muted">{c.waitsFor(formatDate(l.earnAfter), Boolean(l.awaitsFirstDebit))}</div>}
            </td>
            <td data-label={c.contract}>{l.contract?.number ?? l.contractNumber ?? ''}</td>
            {l.status && <td data-label={c.status}><span className="badge">{c.statuses[l.status] ?? l.status}</span></td>}
            <td data-label={c.amount}>{formatEur(l.amountCents)}</td>
          </tr>
        ))}
      </tbody>
    </table></div>
  );
}
