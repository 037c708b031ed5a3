/**
 * An EventSource for tRPC's subscription link whose every connection, the first one and each one
 * after a drop, opens with a new stream ticket (`?ticket=`), asked for just before it. The API
 * takes no access token in a stream's URL (URLs end up in proxy and server logs): a ticket is
 * single-use, lives 30 seconds and works only beside this browser's session cookie. The
 * browser's own reconnection would reuse the URL, and with it a spent ticket; so a dropped or
 * refused connection is closed here and the next one opened with a fresh ticket, after a growing
 * delay (1 s, 2 s... 30 s), with the last event id seen (`lastEventId`) so the stream resumes
 * just after the last notification received.
 */
export function ticketedEventSource(getTicket: () => Promise<string>) {
  return class TicketedEventSource extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSED = 2;
    readyState = 0;
    readonly url: string;
    readonly withCredentials: boolean;
    private source: EventSource | null = null;
    private readonly forwarded = new Set<string>();
    private lastEventId = '';
    private attempt = 0;
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(url: string | URL, init?: EventSourceInit) {
      super();
      this.url = String(url);
      this.withCredentials = init?.withCredentials ?? false;
      void this.connect();
    }

    override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
      super.addEventListener(type, listener, options);
      // Errors and openings are this object's own; every other event comes from the current connection.
      if (type === 'error' || type === 'open' || this.forwarded.has(type)) return;
      this.forwarded.add(type);
      this.source?.addEventListener(type, this.relay);
    }

    close(): void {
      this.readyState = this.CLOSED;
      clearTimeout(this.timer);
      this.source?.close();
      this.source = null;
    }

    private readonly relay = (event: Event): void => {
      if (!(event instanceof MessageEvent)) return;
      if (event.lastEventId) this.lastEventId = event.lastEventId;
      this.dispatchEvent(new MessageEvent(event.type, { data: event.data as unknown, lastEventId: event.lastEventId, origin: event.origin }));
    };

    private async connect(): Promise<void> {
      let ticket: string;
      try {
        ticket = await getTicket();
      } catch {
        this.dropped();
        return;
      }
      if (this.readyState === this.CLOSED) return;
      const url = new URL(this.url, window.location.href);
      url.searchParams.set('ticket', ticket);
      if (this.lastEventId) url.searchParams.set('lastEventId', this.lastEventId);
      const source = new EventSource(url, { withCredentials: this.withCredentials });
      this.source = source;
      for (const type of this.forwarded) source.addEventListener(type, this.relay);
      source.addEventListener('open', () => {
        this.readyState = this.OPEN;
        this.attempt = 0;
        this.dispatchEvent(new Event('open'));
      });
      source.addEventListener('error', () => {
        if (this.source !== source) return;
        source.close();
        this.source = null;
        this.dropped();
      });
    }

    /** Lost or refused: tell the link it is reconnecting (not closed), and try again with a new ticket. */
    private dropped(): void {
      if (this.readyState === this.CLOSED) return;
      this.readyState = this.CONNECTING;
      this.dispatchEvent(new Event('error'));
      const delay = Math.min(1_000 * 2 ** this.attempt, 30_000);
      this.attempt++;
      this.timer = setTimeout(() => void this.connect(), delay);
    }
  };
}
