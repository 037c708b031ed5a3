import pg from 'pg';

export interface ListenLogger {
  warn(details: object, message: string): void;
}

/** A LISTEN subscription: callbacks get each notification's payload; `close` ends it. */
export interface Listener {
  onNotify(callback: (payload: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * LISTEN on a PostgreSQL channel with a connection of its own (a pooled one cannot hold a
 * LISTEN), reconnecting after a drop. After a reconnect every callback is called once with
 * an empty payload, since notifications sent meanwhile are lost: callers look again.
 */
export function listen(databaseUrl: string, channel: string, log?: ListenLogger): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`listen: bad channel name ${channel}`);
  const callbacks = new Set<(payload: string) => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const schedule = () => {
    client = null;
    if (!closed) retry = setTimeout(() => void connect(), 1_000);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => callbacks.forEach((callback) => callback(message.payload ?? '')));
    next.on('error', (error) => {
      log?.warn({ err: error, channel }, 'listener connection lost');
      void next.end().catch(() => undefined);
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) return void (await next.end());
      client = next;
      callbacks.forEach((callback) => callback(''));
    } catch (error) {
      log?.warn({ err: error, channel }, 'listener cannot connect, will retry');
      void next.end().catch(() => undefined);
      schedule();
    }
  };
  void connect();
  return {
    onNotify(callback) {
      callbacks.add(callback);
      return () => callbacks.delete(callback);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
