import type { RouterInputs, RouterOutputs } from '@crm/trpc';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { FormMessage, SelectField, TextField } from '../../components/form.tsx';
import { t } from '../../i18n/fr.ts';
import { fieldErrorsOf, messageOf, type FieldErrors } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { addDays, formatDateTime, type Day } from './calendar-dates.ts';
import type { Appointment } from './calendar-views.tsx';

type Overlap = RouterOutputs['appointments']['create']['overlaps'][number];
type Member = RouterOutputs['members']['list'][number];
type Booked = NonNullable<RouterOutputs['appointments']['create']['appointment']>;
type ReminderMinutes = NonNullable<RouterInputs['appointments']['create']['reminderMinutes']>;

const REMINDERS = ['', '0', '5', '10', '15', '30', '60', '120', '1440'] as const;

const daysBetween = (from: Day, to: Day) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * Books an appointment, or changes `appointment`; people already busy then are shown, and the
 * user may confirm anyway. An appointment over several days keeps its length in days when moved.
 */
export function AppointmentForm({ appointment, day, members, meUserId, onBooked, onClose }: {
  appointment?: Appointment;
  day: Day;
  members: Member[];
  meUserId: string;
  onBooked: (appointment: Booked) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [form, setForm] = useState(
    appointment
      ? {
          title: appointment.title,
          date: appointment.start.slice(0, 10),
          start: appointment.start.slice(11),
          end: appointment.end.slice(11),
          location: appointment.location,
          notes: appointment.notes,
          clientId: appointment.client?.id ?? '',
          ownerUserId: appointment.owner.userId,
          reminder: appointment.reminderMinutes === null ? '' : String(appointment.reminderMinutes),
        }
      : { title: '', date: day, start: '09:00', end: '10:00', location: '', notes: '', clientId: '', ownerUserId: meUserId, reminder: '' },
  );
  const endDayOffset = appointment ? daysBetween(appointment.start.slice(0, 10), appointment.end.slice(0, 10)) : 0;
  const [attendees, setAttendees] = useState<string[]>(appointment?.attendees.map((a) => a.userId) ?? []);
  const [clientSearch, setClientSearch] = useState('');
  const [overlaps, setOverlaps] = useState<Overlap[]>([]);
  const clients = useQuery(trpc.clients.list.queryOptions({ search: clientSearch || undefined, limit: 20 }));
  const onSuccess = (result: { appointment: Booked | null; overlaps: Overlap[] }) =>
    result.appointment ? onBooked(result.appointment) : setOverlaps(result.overlaps);
  const createMutation = useMutation(trpc.appointments.create.mutationOptions({ onSuccess }));
  const updateMutation = useMutation(trpc.appointments.update.mutationOptions({ onSuccess }));
  const create = appointment ? updateMutation : createMutation;
  const notesId = useId();
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  const submit = (event: FormEvent | null, ignoreOverlaps = false) => {
    event?.preventDefault();
    setOverlaps([]);
    const fields = {
      title: form.title,
      startsAt: `${form.date}T${form.start}`,
      endsAt: `${form.date && addDays(form.date, endDayOffset)}T${form.end}`,
      location: form.location,
      notes: form.notes,
      clientId: form.clientId || null,
      ownerUserId: form.ownerUserId,
      attendeeUserIds: attendees.filter((id) => id !== form.ownerUserId),
      reminderMinutes: form.reminder === '' ? null : (Number(form.reminder) as ReminderMinutes),
      ignoreOverlaps,
    };
    if (appointment) updateMutation.mutate({ appointmentId: appointment.id, ...fields });
    else createMutation.mutate(fields);
  };

  const serverErrors = fieldErrorsOf(create.error);
  // The server names the instants and minutes; the form shows them under its date, time and reminder fields.
  const errors: FieldErrors = { ...serverErrors };
  for (const [from, to] of [['startsAt', 'start'], ['endsAt', 'end'], ['reminderMinutes', 'reminder']] as const) {
    if (serverErrors[from]) errors[to] = serverErrors[from];
  }
  const memberOptions = members.map((m) => ({ value: m.userId, label: m.isMe ? `${m.name} ${t.members.you}` : m.name }));
  const clientOptions = [
    { value: '', label: t.agenda.noClient },
    ...(clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.displayName })),
  ];
  if (form.clientId && !clientOptions.some((o) => o.value === form.clientId)) {
    clientOptions.push({ value: form.clientId, label: appointment?.client?.id === form.clientId ? appointment.client.displayName : t.agenda.chosenClient });
  }
  const heading = appointment ? t.agenda.editAppointment : t.agenda.newAppointment;

  return (
    <form className="card inline-form" onSubmit={(e) => submit(e)} noValidate aria-label={heading}>
      <h2>{heading}</h2>
      <FormMessage error={Object.keys(serverErrors).length ? null : messageOf(create.error)} />
      {overlaps.length > 0 && (
        <div className="notice notice--warning" role="alert">
          <strong>{t.agenda.overlapsTitle}</strong>
          <ul>
            {overlaps.map((o) => (
              <li key={o.id}>
                {o.title} — {formatDateTime(o.startsAt)} ({o.busy.map((b) => b.name ?? t.agenda.formerMember).join(', ')})
              </li>
            ))}
          </ul>
          <button type="button" className="button button--ghost" onClick={() => submit(null, true)} disabled={create.isPending}>
            {t.agenda.confirmAnyway}
          </button>
        </div>
      )}
      <div className="grid">
        <TextField label={t.agenda.titleField} name="title" errors={errors} value={form.title} onChange={set('title')} />
        <TextField label={t.agenda.date} name="date" type="date" errors={errors} value={form.date} onChange={set('date')} />
        <TextField label={t.agenda.start} name="start" type="time" errors={errors} value={form.start} onChange={set('start')} />
        <TextField label={t.agenda.end} name="end" type="time" errors={errors} value={form.end} onChange={set('end')} hint={endDayOffset > 0 ? t.agenda.endsLater(endDayOffset) : t.agenda.endHint} />
        <TextField label={t.agenda.location} name="location" errors={errors} value={form.location} onChange={set('location')} />
        <SelectField label={t.agenda.owner} name="ownerUserId" errors={errors} value={form.ownerUserId} onChange={set('ownerUserId')} options={memberOptions} />
        <TextField label={t.agenda.clientSearch} name="clientSearch" type="search" value={clientSearch} onChange={(e) => setClientSearch(e.target.value)} />
        <SelectField label={t.agenda.client} name="clientId" errors={errors} value={form.clientId} onChange={set('clientId')} options={clientOptions} />
        <SelectField label={t.agenda.reminder} name="reminder" errors={errors} value={form.reminder} onChange={set('reminder')}
          options={REMINDERS.map((value) => ({ value, label: t.agenda.reminders[value] }))} />
      </div>
      <fieldset className="agenda-attendees">
        <legend>{t.agenda.attendees}</legend>
        {members.filter((m) => m.userId !== form.ownerUserId).map((m) => (
          <label key={m.userId} className="checkbox">
            <input
              type="checkbox"
              checked={attendees.includes(m.userId)}
              onChange={(e) => setAttendees(e.target.checked ? [...attendees, m.userId] : attendees.filter((id) => id !== m.userId))}
            />
            {m.name}
          </label>
        ))}
        {members.length <= 1 && <span className="muted">{t.agenda.noOtherMembers}</span>}
        {errors.attendeeUserIds?.map((message) => <small key={message} className="field__error" role="alert">{message}</small>)}
      </fieldset>
      <div className="field">
        <label htmlFor={notesId}>{t.agenda.notes}</label>
        <textarea id={notesId} name="notes" value={form.notes} onChange={set('notes')} />
      </div>
      <div className="actions">
        <button type="button" className="button button--ghost" onClick={onClose}>{t.agenda.close}</button>
        <button className="button button--primary" type="submit" disabled={create.isPending}>{t.agenda.book}</button>
      </div>
    </form>
  );
}
