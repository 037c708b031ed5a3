import { NavLink } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { sessionToken } from '../../lib/session-token.ts';

/** The dunning section's tabs: cases, today's worklist, plans. */
export function DunningTabs() {
  return (
    <nav className="tabs" aria-label={t.dunning.title}>
      <NavLink to="/relances" end>{t.dunning.tabs.cases}</NavLink>
      <NavLink to="/relances/aujourdhui">{t.dunning.tabs.worklist}</NavLink>
      <NavLink to="/relances/plans">{t.dunning.tabs.plans}</NavLink>
    </nav>
  );
}

/** A stored document (letter, proof), fetched with the bearer token and opened. */
export function DocumentButton({ documentId, label }: { documentId: string; label: string }) {
  const open = async () => {
    const response = await fetch(`/documents/${documentId}/download`, { headers: { authorization: `Bearer ${sessionToken.get() ?? ''}` } });
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    Object.assign(window.document.createElement('a'), { href: url, target: '_blank', rel: 'noopener' }).click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return <button type="button" className="button button--ghost" onClick={() => void open()}>{label}</button>;
}
