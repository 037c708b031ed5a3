import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import type { FieldErrors } from '../lib/errors.ts';

interface FieldProps {
  label: string;
  name: string;
  errors?: FieldErrors;
  hint?: string;
}

function FieldShell({ label, name, errors, hint, id, children }: FieldProps & { id: string; children: ReactNode }) {
  const messages = errors?.[name];
  return (
    <div className={messages ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !messages && <small className="field__hint">{hint}</small>}
      {messages?.map((message) => (
        <small key={message} className="field__error" role="alert" id={`${id}-error`}>
          {message}
        </small>
      ))}
    </div>
  );
}

export function TextField({ label, name, errors, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} id={id}>
      <input id={id} name={name} aria-invalid={Boolean(errors?.[name])} aria-describedby={errors?.[name] ? `${id}-error` : undefined} {...input} />
    </FieldShell>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  options,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} id={id}>
      <select id={id} name={name} aria-invalid={Boolean(errors?.[name])} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function TextAreaField({ label, name, errors, hint, ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} id={id}>
      <textarea id={id} name={name} aria-invalid={Boolean(errors?.[name])} aria-describedby={errors?.[name] ? `${id}-error` : undefined} {...textarea} />
    </FieldShell>
  );
}

export function FormMessage({ error, success }: { error?: string | null; success?: string | null }) {
  if (error) return <p className="notice notice--error" role="alert">{error}</p>;
  if (success) return <p className="notice notice--success" role="status">{success}</p>;
  return null;
}
