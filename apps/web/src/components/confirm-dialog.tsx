import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { t } from '../i18n/fr.ts';
import { TextField } from './form.tsx';

/** What a confirmation asks: a title, what will happen, and the words of the button that does it. */
export interface ConfirmRequest {
  title: string;
  /** What will happen, in plain French ("Les prochaines échéances ne seront plus prélevées."). */
  message?: string;
  confirmLabel: string;
  /** A destructive or irreversible action: the button is red. */
  danger?: boolean;
}

/** A confirmation that also needs one value (an end date, a reason). */
export interface PromptRequest extends ConfirmRequest {
  field: { label: string; type?: 'text' | 'date' | 'password'; initial?: string };
}

interface Dialogs {
  /** Resolves true when the person confirms, false on "Annuler" or Escape. */
  confirm: (request: ConfirmRequest) => Promise<boolean>;
  /** Resolves the value typed (never empty) when confirmed, null otherwise. */
  prompt: (request: PromptRequest) => Promise<string | null>;
}

const DialogContext = createContext<Dialogs | null>(null);

type Pending = { request: ConfirmRequest | PromptRequest; resolve: (value: string | null) => void };

/**
 * One modal dialog for the whole app, instead of the browser's `window.confirm` and `prompt`: a
 * native <dialog> shown modally, so focus stays inside, Escape cancels and the page behind is inert.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [value, setValue] = useState('');

  const open = useCallback((request: ConfirmRequest | PromptRequest) => new Promise<string | null>((resolve) => {
    setValue('field' in request ? (request.field.initial ?? '') : '');
    setPending({ request, resolve });
  }), []);
  const dialogs = useRef<Dialogs>({
    confirm: async (request) => (await open(request)) !== null,
    prompt: (request) => open(request),
  });

  useEffect(() => {
    const node = dialog.current;
    if (pending && node && !node.open) node.showModal();
  }, [pending]);

  const settle = (result: string | null) => {
    pending?.resolve(result);
    setPending(null);
    if (dialog.current?.open) dialog.current.close();
  };
  const request = pending?.request;
  const field = request && 'field' in request ? request.field : null;

  return (
    <DialogContext.Provider value={dialogs.current}>
      {children}
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="confirm-dialog-title"
        // Escape (the dialog's cancel event) is a "no".
        onCancel={(event) => { event.preventDefault(); settle(null); }}
      >
        {request && (
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              if (field && !value.trim()) return;
              settle(field ? value.trim() : '');
            }}
          >
            <h2 id="confirm-dialog-title">{request.title}</h2>
            {request.message && <p>{request.message}</p>}
            {field && (
              <TextField label={field.label} name="value" type={field.type ?? 'text'} value={value} required autoFocus onChange={(e) => setValue(e.target.value)} />
            )}
            <div className="actions">
              <button type="button" className="button button--ghost" onClick={() => settle(null)}>{t.app.cancel}</button>
              <button type="submit" className={`button ${request.danger ? 'button--danger' : 'button--primary'}`} autoFocus={!field} disabled={Boolean(field) && !value.trim()}>
                {request.confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </DialogContext.Provider>
  );
}

/** The app's confirmation dialogs: `confirm({ title, message, confirmLabel })`, `prompt({ ..., field })`. */
export function useDialogs(): Dialogs {
  const dialogs = useContext(DialogContext);
  if (!dialogs) throw new Error('useDialogs outside ConfirmProvider');
  return dialogs;
}
