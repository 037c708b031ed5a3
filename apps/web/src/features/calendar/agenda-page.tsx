import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { t } from '../../i18n/fr.ts';
import { messageOf } from '../../lib/errors.ts';
import { useTRPC } from '../../trpc.ts';
import { useCan, useMe } from '../auth/session.tsx';
import { AppointmentForm } from './appointment-form.tsx';
import { CalendarFeedCard } from './calendar-feed-card.tsx';
import { formatDateTime, formatTime, shiftAnchor, todayInParis, viewRange, viewTitle, type Day, type View } from './calendar-dates.ts';
import { MonthView, TimeGridView, type Appointment } from './calendar-views.tsx';
import { useDialogs } from '../../components/confirm-dialog.tsx';

const VIEWS: View[] = ['day', 'week', 'month'];
const isDay = (value: string | null): value is Day => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** /agenda?vue=week&date=2026-12-03&qui=all: day, week and month views of appointments. */
export function AgendaPage() {
  const { confirm } = useDialogs();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const canWrite = useCan('appointments.write');
  const [params, setParams] = useSearchParams();
  const today = todayInParis();
  const view = (VIEWS as string[]).includes(params.get('vue') ?? '') ? (params.get('vue') as View) : 'week';
  const anchor = isDay(params.get('date')) ? params.get('date')! : today;
  const who = params.get('qui') ?? 'mine';
  const go = (next: { vue?: View; date?: Day; qui?: string }) =>
    setParams({ vue: next.vue ?? view, date: next.date ?? anchor, qui: next.qui ?? who }, { replace: true });

  const { from, to, days } = viewRange(view, anchor);
  const members = useQuery(trpc.members.list.queryOptions());
  const people = who === 'mine' || who === 'all' ? who : [who];
  const list = useQuery(trpc.appointments.list.queryOptions({ from, to, people }));
  const [booking, setBooking] = useState(false);
  const [editing, setEditing] = useState<Appointment | null>(null);
  const [selected, setSelected] = useState<Appointment | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.appointments.list.pathKey() });
  const cancel = useMutation(
    trpc.appointments.cancel.mutationOptions({
      onSuccess: () => {
        setSelected(null);
        refresh();
      },
    }),
  );
  const appointments = list.data?.appointments ?? [];
  const viewProps = { days, appointments, today, selectedId: selected?.id ?? null, onSelect: setSelected };

  return (
    <section className="stack">
      <div className="page-header">
        <h1>{t.agenda.title}</h1>
        {canWrite && !booking && !editing && (
          <button type="button" className="button button--primary" onClick={() => setBooking(true)}>{t.agenda.newAppointment}</button>
        )}
      </div>

      {editing && me.data && (
        <AppointmentForm
          key={editing.id}
          appointment={editing}
          day={editing.start.slice(0, 10)}
          members={members.data ?? []}
          meUserId={me.data.user.id}
          onClose={() => setEditing(null)}
          onBooked={(appointment) => {
            setEditing(null);
            setSelected(appointment);
            refresh();
            go({ date: appointment.start.slice(0, 10) });
          }}
        />
      )}
      {booking && !editing && me.data && (
        <AppointmentForm
          day={view === 'day' ? anchor : today > from && today < to ? today : from}
          members={members.data ?? []}
          meUserId={me.data.user.id}
          onClose={() => setBooking(false)}
          onBooked={(appointment) => {
            setBooking(false);
            setSelected(appointment);
            refresh();
            go({ date: appointment.start.slice(0, 10) });
          }}
        />
      )}

      <div className="agenda-toolbar">
        <div className="agenda-toolbar__group">
          <button type="button" className="button button--ghost" onClick={() => go({ date: shiftAnchor(view, anchor, -1) })} aria-label={t.agenda.previous}>‹</button>
          <button type="button" className="button button--ghost" onClick={() => go({ date: today })}>{t.agenda.today}</button>
          <button type="button" className="button button--ghost" onClick={() => go({ date: shiftAnchor(view, anchor, 1) })} aria-label={t.agenda.next}>›</button>
        </div>
        <h2 className="agenda-toolbar__title" aria-live="polite">{viewTitle(view, anchor)}</h2>
        <div className="agenda-toolbar__group" role="group" aria-label={t.agenda.viewLabel}>
          {VIEWS.map((v) => (
            <button key={v} type="button" aria-pressed={v === view} className={v === view ? 'button button--primary' : 'button button--ghost'} onClick={() => go({ vue: v })}>
              {t.agenda.views[v]}
            </button>
          ))}
        </div>
        <label className="filters">
          <span className="visually-hidden">{t.agenda.whose}</span>
          <select aria-label={t.agenda.whose} value={who} onChange={(e) => go({ qui: e.target.value })}>
            <option value="mine">{t.agenda.mine}</option>
            <option value="all">{t.agenda.everyone}</option>
            {(members.data ?? []).filter((m) => !m.isMe).map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        </label>
      </div>

      {list.error && <p className="notice notice--error" role="alert">{messageOf(list.error)}</p>}
      {list.data?.truncated && <p className="notice notice--warning">{t.agenda.truncated}</p>}
      {view === 'month'
        ? <MonthView {...viewProps} month={anchor.slice(0, 7)} onOpenDay={(day) => go({ vue: 'day', date: day })} />
        : <TimeGridView {...viewProps} />}

      {selected && (
        <section className="card" aria-label={t.agenda.details}>
          <div className="page-header">
            <h2>{selected.title}</h2>
            <button type="button" className="button button--ghost" onClick={() => setSelected(null)}>{t.agenda.close}</button>
          </div>
          <dl className="facts">
            <dt>{t.agenda.when}</dt>
            <dd>{formatDateTime(selected.startsAt)} – {selected.start.slice(0, 10) === selected.end.slice(0, 10) ? formatTime(selected.endsAt) : formatDateTime(selected.endsAt)}</dd>
            {selected.location && (<><dt>{t.agenda.location}</dt><dd>{selected.location}</dd></>)}
            {selected.client && (<><dt>{t.agenda.client}</dt><dd><Link to={`/clients/${selected.client.id}`}>{selected.client.displayName}</Link></dd></>)}
            <dt>{t.agenda.owner}</dt>
            <dd>{selected.owner.name ?? t.agenda.formerMember}</dd>
            {selected.attendees.length > 0 && (<><dt>{t.agenda.attendees}</dt><dd>{selected.attendees.map((a) => a.name ?? t.agenda.formerMember).join(', ')}</dd></>)}
            <dt>{t.agenda.reminder}</dt>
            <dd>{t.agenda.reminders[selected.reminderMinutes === null ? '' : (String(selected.reminderMinutes) as keyof typeof t.agenda.reminders)]}</dd>
            {selected.notes && (<><dt>{t.agenda.notes}</dt><dd className="timeline__detail">{selected.notes}</dd></>)}
          </dl>
          {cancel.error && <p className="notice notice--error" role="alert">{messageOf(cancel.error)}</p>}
          {canWrite && !selected.cancelledAt && !selected.detailsHidden && (
            <div className="actions">
              <button type="button" className="button button--ghost" onClick={() => { setBooking(false); setEditing(selected); }}>{t.agenda.edit}</button>
              <button type="button" className="button button--danger" disabled={cancel.isPending}
                onClick={() => void confirm({ title: t.agenda.cancelConfirm(selected.title), confirmLabel: t.agenda.cancel, danger: true }).then((ok) => ok && cancel.mutate({ appointmentId: selected.id }))}>
                {t.agenda.cancel}
              </button>
            </div>
          )}
        </section>
      )}

      <CalendarFeedCard />
    </section>
  );
}
