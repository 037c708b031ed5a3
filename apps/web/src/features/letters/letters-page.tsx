import type { RouterOutputs } from '@crm/trpc';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { FormMessage } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { formatDateTime, formatEur } from '../../lib/format.ts';
import { useTRPC } from '../../trpc.ts';
import { downloadFile } from '../documents/documents-panel.tsx';
import { LoadMore } from '../payments/load-more.tsx';

type Letter = RouterOutputs['letters']['list']['items'][number];

const trailLabel = (code: string, label: string) =>
  code.startsWith('proof:') ? label : (t.letters.providerStatuses[code] ?? t.letters.deliveryStatuses[code] ?? label);

/** Where a letter stands, in words: Maileva's last delivery status, else its sending status, else ours. */
function standing(letter: Letter): string {
  if (letter.deliveryStatus) return t.letters.deliveryStatuses[letter.deliveryStatus] ?? letter.deliveryStatus;
  if (letter.providerStatus) return t.letters.providerStatuses[letter.providerStatus] ?? letter.providerStatus;
  return t.letters.statuses[letter.status];
}

/** Courriers postaux : every letter sent through Maileva, with its status trail, cost and proofs. */
export function LettersPage() {
  const trpc = useTRPC();
  const letters = useInfiniteQuery(trpc.letters.list.infiniteQueryOptions({ limit: 30 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const rows = letters.data?.pages.flatMap((page) => page.items);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  return (
    <section className="stack">
      <div className="page-header"><h1>{t.letters.title}</h1></div>
      <p className="muted">{t.letters.intro}</p>
      <FormMessage error={messageOf(letters.error) ?? downloadError} />
      <div className="table-wrap"><table className="table">
        <thead>
          <tr><th>{t.letters.date}</th><th>{t.letters.client}</th><th>{t.letters.service}</th><th>{t.letters.document}</th><th>{t.letters.status}</th><th>{t.letters.cost}</th><th>{t.letters.proofs}</th></tr>
        </thead>
        <tbody>
          {rows?.length === 0 && <tr><td colSpan={7} className="muted">{t.letters.empty}</td></tr>}
          {rows?.map((letter) => (
            <tr key={letter.id} data-letter={letter.id}>
              <td>{formatDateTime(letter.createdAt)}</td>
              <td><Link to={`/clients/${letter.clientId}`}>{letter.clientName}</Link></td>
              <td>
                {t.letters.services[letter.service]}
                {letter.registeredNumber && <span className="muted"> · {t.letters.registeredNumber(letter.registeredNumber)}</span>}
              </td>
              <td>
                <button type="button" className="button button--ghost" onClick={() => downloadFile({ id: letter.documentId, fileName: letter.documentName ?? 'courrier.pdf' }).catch((e: unknown) => setDownloadError(e instanceof Error ? e.message : t.app.error))}>
                  {letter.documentName ?? t.letters.document}
                </button>
              </td>
              <td>
                <span className={`badge badge--${letter.status === 'submitted' ? 'sent' : letter.status}`} title={letter.lastError ?? undefined}>{standing(letter)}</span>
                {letter.environment === 'fake' && <span className="muted"> · {t.letters.simulated}</span>}
                {letter.status === 'failed' && letter.lastError && <small className="field__error">{letter.lastError}</small>}
                {letter.history.length > 0 && (
                  <details>
                    <summary>{t.letters.trail}</summary>
                    <ol className="letter-trail">
                      {letter.history.map((h) => <li key={`${h.code}${h.at}`}>{formatDateTime(h.at)} · {trailLabel(h.code, h.label)}</li>)}
                    </ol>
                  </details>
                )}
              </td>
              <td>{letter.postageCents === null ? t.letters.noCost : formatEur(letter.postageCents)}</td>
              <td>
                {(Object.entries({ deposit: letter.proofs.depositProofDocumentId, acknowledgement: letter.proofs.acknowledgementDocumentId, archive: letter.proofs.archiveDocumentId }) as [keyof typeof t.letters.proofKinds, string | null][])
                  .filter(([, id]) => id)
                  .map(([kind, id]) => (
                    <button key={kind} type="button" className="button button--ghost" onClick={() => downloadFile({ id: id!, fileName: `${t.letters.proofKinds[kind]}.pdf` }).catch((e: unknown) => setDownloadError(e instanceof Error ? e.message : t.app.error))}>
                      {t.letters.proofKinds[kind]}
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <LoadMore pages={letters} />
    </section>
  );
}
