import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { FormMessage, SelectField, TextAreaField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan } from '../auth/session.tsx';

/** Paramètres > Modèles de courriels: the wording of the automated mail, its variables, a preview on a real client. */
export function MailTemplatesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan('organisation.write');
  const templates = useQuery(trpc.mailTemplates.list.queryOptions());
  const [key, setKey] = useState('client.welcome');
  const current = templates.data?.find((tpl) => tpl.key === key);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  useEffect(() => {
    if (current) {
      setSubject(current.subject);
      setBody(current.body);
    }
  }, [current]);
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.mailTemplates.list.queryKey() });
  const save = useMutation(trpc.mailTemplates.update.mutationOptions({ onSuccess: invalidate }));
  const reset = useMutation(trpc.mailTemplates.reset.mutationOptions({ onSuccess: invalidate }));
  const [draft, setDraft] = useState<{ key: string; subject: string; body: string } | null>(null);
  const preview = useQuery({ ...trpc.mailTemplates.preview.queryOptions(draft ?? { key, subject: 'x', body: 'x' }), enabled: canEdit && draft !== null, retry: false });
  if (!templates.data) return <FormMessage error={messageOf(templates.error)} />;
  const errors = fieldErrorsOf(save.error ?? preview.error);
  return (
    <section className="stack">
      <p className="muted">{t.mailTemplates.intro}</p>
      <SelectField label={t.mailTemplates.template} name="template" value={key} onChange={(e) => { setKey(e.target.value); setDraft(null); save.reset(); }}
        options={templates.data.map((tpl) => ({ value: tpl.key, label: `${tpl.label}${tpl.custom ? ` (${t.mailTemplates.custom})` : ''}` }))} />
      {current && (
        <form className="stack" onSubmit={(e) => { e.preventDefault(); save.mutate({ key, subject, body }); }}>
          <TextField label={t.mailTemplates.subject} name="subject" value={subject} disabled={!canEdit} onChange={(e) => setSubject(e.target.value)} errors={errors} />
          <TextAreaField label={t.mailTemplates.body} name="body" rows={12} value={body} disabled={!canEdit} onChange={(e) => setBody(e.target.value)} errors={errors} hint={t.mailTemplates.bodyHint} />
          <details>
            <summary>{t.mailTemplates.variables}</summary>
            <ul>{current.variables.map((v) => <li key={v.name}><code>{`{{${v.name}}}`}</code> : {v.meaning}</li>)}</ul>
          </details>
          {canEdit && (
            <div className="actions">
              <button type="button" className="button button--ghost" onClick={() => setDraft({ key, subject, body })}>{t.mailTemplates.preview}</button>
              <button type="submit" className="button" disabled={save.isPending}>{t.settings.save}</button>
              {current.custom && <button type="button" className="button button--ghost" onClick={() => reset.mutate({ key })}>{t.mailTemplates.reset}</button>}
            </div>
          )}
          <FormMessage error={Object.keys(errors).length ? null : messageOf(save.error ?? reset.error)} success={save.isSuccess ? t.settings.saved : null} />
        </form>
      )}
      {draft && preview.data && (
        <article className="stack" aria-label={t.mailTemplates.previewTitle}>
          <h2>{t.mailTemplates.previewTitle}</h2>
          <p className="muted">{preview.data.clientName ? t.mailTemplates.previewWith(preview.data.clientName, preview.data.recipient) : t.mailTemplates.previewExample}</p>
          <p><strong>{t.mailTemplates.subject} :</strong> <span data-testid="preview-subject">{preview.data.subject}</span></p>
          <iframe title={t.mailTemplates.htmlPart} sandbox="" srcDoc={preview.data.htmlBody} style={{ width: '100%', minHeight: '14rem', border: '1px solid #ddd' }} />
          <details>
            <summary>{t.mailTemplates.textPart}</summary>
            <pre data-testid="preview-text" style={{ whiteSpace: 'pre-wrap' }}>{preview.data.textBody}</pre>
          </details>
        </article>
      )}
    </section>
  );
}
