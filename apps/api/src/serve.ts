import type { Server } from 'node:http';
import type { Logger } from './logger.ts';

/**
 * Listens, and on SIGTERM/SIGINT stops accepting connections, lets in-flight requests finish,
 * then runs `cleanup` (close pools, drain NATS). A stuck shutdown is cut after 10 s.
 */
export async function serveUntilSignal(
  listen: () => Server,
  log: Logger,
  cleanup: () => Promise<void>,
): Promise<Server> {
  const server = listen();
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      void cleanup()
        .catch((error: unknown) => log.error({ err: error }, 'cleanup failed'))
        .finally(() => {
          clearTimeout(force);
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return server;
}
