import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../tooling/test/free-port.ts';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on a free port (smtp-server, no TLS, no auth) that keeps what it receives.
 * `refuse(to)` decides the answer for a recipient: null accepts, otherwise `{ code, message }`.
 */
export async function startSmtpServer(options: { refuse?: (to: string) => { code: number; message: string } | null; delayMs?: number } = {}) {
  const received: ReceivedMail[] = [];
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 200,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
        const accept = () => {
          received.push({ messageId, to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        };
        if (options.delayMs) setTimeout(accept, options.delayMs);
        else accept();
      });
    },
  });
  // A worker SIGKILLed mid-session resets its connection (ECONNRESET): the server reports it as an
  // 'error' event, which unheard would crash the test process. What it received is what counts.
  const connectionErrors: Error[] = [];
  server.on('error', (error: Error) => connectionErrors.push(error));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    connectionErrors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
