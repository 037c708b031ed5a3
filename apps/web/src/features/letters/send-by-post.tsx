import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormMessage, SelectField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';

type Service = keyof typeof t.letters.services;

/**
 * "Envoyer par courrier" on a stored PDF of a client (its own, or a contract's): the service
 * (simple, recommandée, recommandée avec AR), colour and duplex said explicitly. The request id is
 * made when the form opens, so a double click posts one letter.
 */
export function SendByPost({ documentId, fileName, onClose }: { documentId: string; fileName: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [service, setService] = useState<Service>('registered_with_ack');
  const [colorPrinting, setColorPrinting] = useState(false);
  const [duplexPrinting, setDuplexPrinting] = useState(true);
  const [requestId] = useState(() => crypto.randomUUID());
  const send = useMutation(trpc.letters.send.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.letters.pathKey() }) }));
  const errors = fieldErrorsOf(send.error);
  return (
    <form
      className="stack send-by-post"
      aria-label={t.letters.sendTitle(fileName)}
      onSubmit={(event) => {
        event.preventDefault();
        send.mutate({ documentId, service, colorPrinting, duplexPrinting, requestId });
      }}
    >
      <h3>{t.letters.sendTitle(fileName)}</h3>
      <SelectField
        label={t.letters.service}
        name="service"
        errors={errors}
        value={service}
        onChange={(event) => setService(event.target.value as Service)}
        options={(Object.keys(t.letters.services) as Service[]).map((value) => ({ value, label: t.letters.services[value] }))}
      />
      <label className="checkbox"><input type="checkbox" checked={colorPrinting} onChange={(e) => setColorPrinting(e.target.checked)} /> {t.letters.colorPrinting}</label>
      <label className="checkbox"><input type="checkbox" checked={duplexPrinting} onChange={(e) => setDuplexPrinting(e.target.checked)} /> {t.letters.duplexPrinting}</label>
      {Object.entries(errors).filter(([key]) => key !== 'service').flatMap(([key, messages]) => messages.map((m) => <small key={`${key}${m}`} className="field__error" role="alert">{m}</small>))}
      <FormMessage error={send.error ? messageOf(send.error) : null} success={send.isSuccess ? t.letters.queued : null} />
      <div className="actions">
        <button type="submit" className="button" disabled={send.isPending || send.isSuccess}>{t.letters.send}</button>
        <button type="button" className="button button--ghost" onClick={onClose}>{t.letters.cancel}</button>
      </div>
    </form>
  );
}
