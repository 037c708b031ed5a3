import pg from 'pg';
import type { Logger } from 'pino';
import type { Waker } from './relay.ts';

/**
 * LISTEN on a PostgreSQL channel with its own connection (a pooled one cannot hold a LISTEN),
 * reconnecting after a drop. Missed notifications are covered by the relay's polling.
 */
export function listenWaker(databaseUrl: string, channel: string, log: Logger): Waker {
  const callbacks: (() => void)[] = [];
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', () => callbacks.forEach((callback) => callback()));
    next.on('error', (error) => {
      log.warn({ err: error, channel }, 'listener connection lost');
      void next.end().catch(() => undefined);
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      callbacks.forEach((callback) => callback()); // catch up on what happened while away
    } catch (error) {
      log.warn({ err: error, channel }, 'listener cannot connect, will retry');
      void next.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    client = null;
    if (!closed) retry = setTimeout(() => void connect(), 1_000);
  };
  void connect();
  return {
    onWake: (callback) => void callbacks.push(callback),
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
