import type { RouterOutputs } from '@crm/trpc';
import type { CSSProperties } from 'react';
import { t } from '../../i18n/fr.ts';
import { daySegments, formatDayNumber, formatDayShort, formatTime, formatWeekdayShort, minutesOf, type Day } from './calendar-dates.ts';

export type Appointment = RouterOutputs['appointments']['list']['appointments'][number];

const PX_PER_HOUR = 48;

interface ViewProps {
  days: Day[];
  appointments: Appointment[];
  today: Day;
  selectedId: string | null;
  onSelect: (appointment: Appointment) => void;
}

/** Day and week views: one column per day on an hour grid, 7:00 to 20:00 unless something falls outside. */
export function TimeGridView({ days, appointments, today, selectedId, onSelect }: ViewProps) {
  const perDay = days.map((day) => ({ day, segments: daySegments(appointments, day) }));
  const all = perDay.flatMap((d) => d.segments);
  const firstHour = Math.min(7, ...all.map((s) => Math.floor(s.startMinute / 60)));
  const lastHour = Math.max(20, ...all.map((s) => Math.ceil(s.endMinute / 60)));
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const columns = { gridTemplateColumns: `3.5rem repeat(${days.length}, minmax(0, 1fr))` } as CSSProperties;
  return (
    <div className="agenda-grid" role="grid" aria-label={t.agenda.title}>
      <div className="agenda-grid__head" style={columns} role="row">
        <span />
        {days.map((day) => (
          <span key={day} role="columnheader" className={day === today ? 'agenda-grid__day agenda-grid__day--today' : 'agenda-grid__day'}>
            {formatDayShort(day)}
          </span>
        ))}
      </div>
      <div className="agenda-grid__body" style={columns}>
        <div className="agenda-grid__hours">
          {hours.map((hour) => (
            <span key={hour} style={{ height: PX_PER_HOUR }}>{String(hour).padStart(2, '0')}:00</span>
          ))}
        </div>
        {perDay.map(({ day, segments }) => (
          <div key={day} className="agenda-grid__column" role="gridcell" aria-label={formatDayShort(day)}
            style={{ height: hours.length * PX_PER_HOUR, backgroundSize: `100% ${PX_PER_HOUR}px` }}>
            {segments.map(({ item, startMinute, endMinute, lane, lanes }) => (
              <button
                key={item.id}
                type="button"
                className={item.id === selectedId ? 'agenda-event agenda-event--selected' : 'agenda-event'}
                style={{
                  top: ((startMinute - firstHour * 60) * PX_PER_HOUR) / 60,
                  height: Math.max(((endMinute - startMinute) * PX_PER_HOUR) / 60, 20),
                  left: `${(lane / lanes) * 100}%`,
                  width: `${100 / lanes}%`,
                }}
                title={`${formatTime(item.startsAt)}–${formatTime(item.endsAt)} ${item.title}`}
                onClick={() => onSelect(item)}
              >
                <span className="agenda-event__time">{formatTime(item.startsAt)}–{formatTime(item.endsAt)}</span>
                <span className="agenda-event__title">{item.title}</span>
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Month view: six weeks at most, three appointments per day and a count of the rest. */
export function MonthView({ days, appointments, today, selectedId, onSelect, month, onOpenDay }: ViewProps & { month: string; onOpenDay: (day: Day) => void }) {
  return (
    <div className="agenda-month" role="grid" aria-label={t.agenda.title}>
      {days.slice(0, 7).map((day) => (
        <span key={day} className="agenda-month__weekday" role="columnheader">{formatWeekdayShort(day)}</span>
      ))}
      {days.map((day) => {
        const items = appointments.filter((a) => a.start.slice(0, 10) <= day && a.end > `${day}T00:00`);
        const classes = ['agenda-month__cell', day.slice(0, 7) !== month && 'agenda-month__cell--other', day === today && 'agenda-month__cell--today'];
        return (
          <div key={day} className={classes.filter(Boolean).join(' ')} role="gridcell" aria-label={formatDayShort(day)}>
            <button type="button" className="agenda-month__day" onClick={() => onOpenDay(day)} aria-label={formatDayShort(day)}>
              {formatDayNumber(day)}
            </button>
            {items.slice(0, 3).map((a) => (
              <button key={a.id} type="button" title={a.title} className={a.id === selectedId ? 'agenda-chip agenda-chip--selected' : 'agenda-chip'} onClick={() => onSelect(a)}>
                {a.start.slice(0, 10) === day && minutesOf(a.start) > 0 ? `${formatTime(a.startsAt)} ` : ''}{a.title}
              </button>
            ))}
            {items.length > 3 && <span className="muted agenda-month__more">{t.agenda.more(items.length - 3)}</span>}
          </div>
        );
      })}
    </div>
  );
}
