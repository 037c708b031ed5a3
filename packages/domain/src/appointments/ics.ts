// RFC 5545 output: CRLF line ends, lines folded at 75 octets, TEXT values escaped, times as UTC
// ("Z"), which every client reads without a VTIMEZONE.

export interface IcsEvent {
  uid: string;
  sequence: number;
  created: Date;
  lastModified: Date;
  start: Date;
  end: Date;
  summary: string;
  location: string;
  description: string;
  cancelled: boolean;
  /** Minutes before the start; null for no alarm. */
  reminderMinutes: number | null;
}

export interface IcsCalendar {
  name: string;
  events: IcsEvent[];
}

/** TEXT value escaping: backslash, semicolon, comma and newlines; other control characters dropped. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\r\n|\r/g, '\n')
    // eslint-disable-next-line no-control-regex -- RFC 5545 TEXT allows no control characters but HTAB
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

const utf8Length = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/** Folds a content line into lines of 75 octets at most (the leading space counts), never inside a UTF-8 sequence. */
export function foldIcsLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char.codePointAt(0)!);
    if (octets + size > 75) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join('\r\n');
}

/** 20261203T133000Z */
export const icsUtc = (instant: Date): string => instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function eventLines(e: IcsEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${icsUtc(e.lastModified)}`,
    `CREATED:${icsUtc(e.created)}`,
    `LAST-MODIFIED:${icsUtc(e.lastModified)}`,
    `DTSTART:${icsUtc(e.start)}`,
    `DTEND:${icsUtc(e.end)}`,
    `SUMMARY:${escapeIcsText(e.summary)}`,
    ...(e.location ? [`LOCATION:${escapeIcsText(e.location)}`] : []),
    ...(e.description ? [`DESCRIPTION:${escapeIcsText(e.description)}`] : []),
    `SEQUENCE:${e.sequence}`,
    `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    `TRANSP:${e.cancelled ? 'TRANSPARENT' : 'OPAQUE'}`,
    ...(e.reminderMinutes !== null && !e.cancelled
      ? ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeIcsText(e.summary)}`, `TRIGGER:-PT${e.reminderMinutes}M`, 'END:VALARM']
      : []),
    'END:VEVENT',
  ];
}

export function renderICalendar(calendar: IcsCalendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CRM//Rendez-vous//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(calendar.name)}`,
    'X-WR-TIMEZONE:Europe/Paris',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...calendar.events.flatMap(eventLines),
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
