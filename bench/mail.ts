import { createDb, withSystem } from '@crm/db';
import { createTestDatabase } from '@crm/db/testing';
import { queueSystemMail } from '@crm/domain';
import { EffectSender, smtpTransport } from '@crm/worker/effects';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { fmt, freePort } from './harness.ts';

// Mail through the effect queue (queued rows -> the worker's sender -> SMTP, each answer recorded)
// against nodemailer sending the same messages straight to the same local smtp-server, in the
// same run, with the same pool of connections. Goal: ratio >= 0.5.
const MAILS = Number(process.env.BENCH_MAILS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 5);
const FROM = 'CRM <no-reply@bench.example.test>';

let received = 0;
const port = await freePort();
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  maxClients: 100,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
server.on('error', () => undefined); // a reset connection is not the bench's concern
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
const url = `smtp://127.0.0.1:${port}`;
const message = (i: number) => ({ to: `r${i}@example.test`, subject: `Votre facture n° ${i}`, text: `Bonjour,\n\nVeuillez trouver votre facture n° ${i}.\n\nCordialement` });

const database = await createTestDatabase('crm_bench_mail');
const db = createDb({ url: database.appUrl, poolSize: 10 });
try {
  // 1. Baseline: nodemailer, pooled, the messages straight to the server.
  const direct = nodemailer.createTransport({ url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity } as unknown as Parameters<typeof nodemailer.createTransport>[0]);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < MAILS) {
        const i = next++;
        await direct.sendMail({ from: FROM, ...message(i) });
      }
    }),
  );
  const directSeconds = (performance.now() - t0) / 1000;
  direct.close();
  if (received !== MAILS) throw new Error(`baseline: ${received} of ${MAILS} received`);

  // 2. The effect queue: the same messages queued (committed), then sent by the worker's sender.
  for (let done = 0; done < MAILS; done += 500) {
    await withSystem(db, async (tx) => {
      for (let i = done; i < Math.min(MAILS, done + 500); i++) {
        const m = message(i);
        await queueSystemMail(tx, { recipient: m.to, template: 'bench', subject: m.subject, textBody: m.text, idempotencyKey: `bench:${i}` });
      }
    });
  }
  received = 0;
  const transport = smtpTransport(url, FROM, { maxConnections: CONNECTIONS });
  const sender = new EffectSender({ db, transport, log: pino({ level: 'silent' }), concurrency: CONNECTIONS });
  const t1 = performance.now();
  while ((await sender.drainOnce()) > 0);
  const queueSeconds = (performance.now() - t1) / 1000;
  await transport.close();
  const sent = await db.systemMail.count({ where: { status: 'sent' } });
  if (received !== MAILS || sent !== MAILS) throw new Error(`effect queue: ${received} received, ${sent} recorded sent, of ${MAILS}`);

  const directRate = MAILS / directSeconds;
  const queueRate = MAILS / queueSeconds;
  console.log(`mail: ${fmt(MAILS)} messages, ${CONNECTIONS} SMTP connections`);
  console.log(`  nodemailer straight to smtp-server: ${fmt(directRate)} mails/s`);
  console.log(`  through the effect queue (claim, send, record): ${fmt(queueRate)} mails/s`);
  console.log(`  ratio ${fmt(queueRate / directRate, 2)} (goal >= 0.5)`);
} finally {
  await db.$disconnect();
  await database.drop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
