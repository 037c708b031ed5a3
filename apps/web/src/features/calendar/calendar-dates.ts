// Calendar days as "2026-10-25" strings and Paris wall-clock times as "2026-10-25T14:30", the
// way the API takes and gives them: day arithmetic on UTC midnights, so no time zone shifts a day.

export type Day = string;
export type View = 'day' | 'week' | 'month';

const PARIS = 'Europe/Paris';
const toDate = (day: Day) => new Date(`${day}T00:00:00Z`);
const toDay = (date: Date): Day => date.toISOString().slice(0, 10);

export const addDays = (day: Day, days: number): Day => toDay(new Date(toDate(day).getTime() + days * 86_400_000));
/** 0 for Monday .. 6 for Sunday. */
export const weekdayIndex = (day: Day): number => (toDate(day).getUTCDay() + 6) % 7;
export const startOfWeek = (day: Day): Day => addDays(day, -weekdayIndex(day));
export const startOfMonth = (day: Day): Day => `${day.slice(0, 7)}-01`;
export function addMonths(day: Day, months: number): Day {
  const date = toDate(startOfMonth(day));
  return toDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}
export const todayInParis = (): Day => new Intl.DateTimeFormat('en-CA', { timeZone: PARIS }).format(new Date());

/** The days a view shows, and the [from, to) range to ask the API for. */
export function viewRange(view: View, anchor: Day): { from: Day; to: Day; days: Day[] } {
  let from = anchor;
  let to = addDays(anchor, 1);
  if (view === 'week') {
    from = startOfWeek(anchor);
    to = addDays(from, 7);
  } else if (view === 'month') {
    from = startOfWeek(startOfMonth(anchor));
    to = addDays(startOfWeek(addDays(addMonths(anchor, 1), -1)), 7);
  }
  const days: Day[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) days.push(day);
  return { from, to, days };
}

export function shiftAnchor(view: View, anchor: Day, step: 1 | -1): Day {
  if (view === 'day') return addDays(anchor, step);
  if (view === 'week') return addDays(anchor, 7 * step);
  return addMonths(anchor, step);
}

const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, ...options });
const dayTitle = format({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const dayShort = format({ weekday: 'short', day: 'numeric', month: 'short' });
const monthTitle = format({ month: 'long', year: 'numeric' });
const dayNumber = format({ day: 'numeric' });
const weekdayShort = format({ weekday: 'short' });
const time = format({ hour: '2-digit', minute: '2-digit' });
const dateTime = format({ weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });

// A calendar day's UTC midnight is the same day in Paris (01:00 or 02:00 there).
export const formatDayTitle = (day: Day): string => dayTitle.format(toDate(day));
export const formatDayShort = (day: Day): string => dayShort.format(toDate(day));
export const formatMonthTitle = (day: Day): string => monthTitle.format(toDate(day));
export const formatDayNumber = (day: Day): string => dayNumber.format(toDate(day));
export const formatWeekdayShort = (day: Day): string => weekdayShort.format(toDate(day));
export const formatTime = (instant: string): string => time.format(new Date(instant));
export const formatDateTime = (instant: string): string => dateTime.format(new Date(instant));

export function viewTitle(view: View, anchor: Day): string {
  if (view === 'day') return formatDayTitle(anchor);
  if (view === 'month') return formatMonthTitle(anchor);
  const { from } = viewRange('week', anchor);
  return `${formatDayShort(from)} – ${formatDayShort(addDays(from, 6))}`;
}

/** Minutes since Paris midnight of a wall-clock time "2026-10-25T14:30". */
export const minutesOf = (local: string): number => Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));

export interface Segment<T> {
  item: T;
  startMinute: number;
  endMinute: number;
  lane: number;
  lanes: number;
}

/**
 * The part of each appointment that falls on `day` (an appointment past midnight shows on both
 * days), laid out side by side where they overlap.
 */
export function daySegments<T extends { start: string; end: string }>(items: T[], day: Day): Segment<T>[] {
  const segments = items
    .filter((item) => item.start.slice(0, 10) <= day && item.end > `${day}T00:00`)
    .map((item) => ({
      item,
      startMinute: item.start.slice(0, 10) === day ? minutesOf(item.start) : 0,
      endMinute: item.end.slice(0, 10) === day ? minutesOf(item.end) : 24 * 60,
      lane: 0,
      lanes: 1,
    }))
    .sort((a, b) => a.startMinute - b.startMinute || b.endMinute - a.endMinute);
  // Clusters of segments that overlap one another share the width, one lane each.
  let cluster: typeof segments = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((s) => s.lane + 1));
    for (const s of cluster) s.lanes = lanes;
    cluster = [];
  };
  for (const segment of segments) {
    if (segment.startMinute >= clusterEnd) close();
    const laneEnds = cluster.reduce<number[]>((ends, s) => {
      ends[s.lane] = Math.max(ends[s.lane] ?? 0, s.endMinute);
      return ends;
    }, []);
    const free = laneEnds.findIndex((end) => end <= segment.startMinute);
    segment.lane = free === -1 ? laneEnds.length : free;
    cluster.push(segment);
    clusterEnd = Math.max(clusterEnd, segment.endMinute);
  }
  close();
  return segments;
}
