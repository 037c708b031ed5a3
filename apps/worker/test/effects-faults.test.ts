import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { withSystem, type Db } from '@crm/db';
import type { TestDatabase } from '@crm/db/testing';
import { queueSystemMail } from '@crm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill, startWorkerProcess } from './processes.ts';
import { startSmtpServer } from './smtp.ts';
import { ownDatabase, until } from './support.ts';

// The outgoing effects under faults: the real worker (src/main.ts) as two child processes,
// SIGKILLed again and again while 1,000 mails go out. Nothing may be lost; a transport that
// deduplicates (capture) never sends twice; SMTP, which cannot, shows its doubt as 'uncertain'.
let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  ({ database, db } = await ownDatabase('crm_effect_faults'));
}, 60_000);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

async function queueMails(prefix: string, count: number, from = 0): Promise<void> {
  for (let done = from; done < from + count; done += 100) {
    await withSystem(db, async (tx) => {
      for (let i = done; i < Math.min(from + count, done + 100); i++) {
        await queueSystemMail(tx, { recipient: `r${i}.${prefix}@example.test`, template: 'fault', subject: `Message ${i}`, textBody: 'Bonjour', idempotencyKey: `${prefix}:${i}` });
      }
    });
  }
}

const statuses = (prefix: string) =>
  db.$queryRaw<{ status: string; count: number }[]>`
    SELECT status::text AS status, count(*)::int AS count FROM system_mails WHERE idempotency_key LIKE ${`${prefix}:%`} GROUP BY 1`.then((rows) =>
    Object.fromEntries(rows.map((r) => [r.status, r.count])) as Record<string, number>,
  );

/**
 * Two workers; each time `progress` has moved by `step` since the last kill (mail is going out),
 * or every 0.3-0.9 s when `step` is 0, one of them is SIGKILLed and restarted, `kills` times.
 */
async function underKills(env: Record<string, string>, kills: number, progress: () => Promise<number>, step: number): Promise<number> {
  const workers: ChildProcess[] = [startWorkerProcess(env), startWorkerProcess(env)];
  let done = 0;
  try {
    let last = await progress();
    while (done < kills) {
      if (step > 0) last = await until(progress, (n) => n >= last + step, 60_000);
      await new Promise((resolve) => setTimeout(resolve, step > 0 ? random(0, 100) : random(300, 900)));
      const victim = random(0, workers.length);
      await kill(workers[victim]!);
      workers[victim] = startWorkerProcess(env);
      done++;
    }
    return done;
  } finally {
    await Promise.all(workers.map((w) => kill(w, 'SIGTERM')));
  }
}

describe.sequential('outgoing effects under SIGKILL', () => {
  it('1,000 mails over SMTP while workers are killed 10 times: none lost, duplicates only where shown as uncertain', async () => {
    const smtp = await startSmtpServer({ delayMs: 40 }); // slow enough that the kills land mid-send
    const prefix = `smtp-${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: database.appUrl, SMTP_URL: smtp.url, EFFECT_LEASE_MS: '1500', EFFECT_RETRY_BASE_MS: '100' };
    try {
      await queueMails(prefix, 1_000);
      const kills = await underKills(env, 10, () => Promise.resolve(smtp.received.length), 40);
      expect(kills).toBe(10);
      // Killed workers' leases run out (1.5 s), the survivors finish the rest.
      const workers = [startWorkerProcess(env)];
      try {
        await until(() => statuses(prefix), (s) => (s.sent ?? 0) + (s.uncertain ?? 0) === 1_000, 60_000);
      } finally {
        await kill(workers[0]!, 'SIGTERM');
      }
      const rows = await db.systemMail.findMany({ where: { idempotencyKey: { startsWith: `${prefix}:` } }, select: { status: true, providerMessageId: true, recipient: true } });
      const receivedBy = new Map<string, number>();
      for (const mail of smtp.received) for (const to of mail.to) receivedBy.set(to, (receivedBy.get(to) ?? 0) + 1);
      const sent = rows.filter((r) => r.status === 'sent');
      const uncertain = rows.filter((r) => r.status === 'uncertain');
      // None lost: each mail arrived, or is shown as uncertain for a person to check.
      expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'uncertain')).toEqual([]);
      for (const row of sent) expect(receivedBy.get(row.recipient)).toBe(1);
      // A recipient who got it twice has an uncertain row: never a silent duplicate.
      const twice = [...receivedBy].filter(([, n]) => n > 1).map(([to]) => to);
      expect(twice.filter((to) => !uncertain.some((r) => r.recipient === to))).toEqual([]);
      // The kills landed mid-send: some mails are in doubt, and only a claim's worth per kill.
      expect(uncertain.length).toBeGreaterThan(0);
      expect(uncertain.length).toBeLessThanOrEqual(kills * 10);
      console.info(`SMTP under kills: ${sent.length} sent, ${uncertain.length} uncertain, ${smtp.received.length} received, ${twice.length} received twice`);
    } finally {
      await smtp.close();
    }
  }, 180_000);

  it('1,000 captured mails while workers are killed 8 times: every one sent once, none uncertain', async () => {
    const prefix = `capture-${randomBytes(4).toString('hex')}`;
    const env = { DATABASE_URL: database.appUrl, MAIL_CAPTURE: 'true', EFFECT_LEASE_MS: '1500' };
    // Captured mail goes out as fast as it is claimed: queue it in 20 waves while the kills go on.
    const feeding = (async () => {
      for (let wave = 0; wave < 20; wave++) {
        await queueMails(prefix, 50, wave * 50);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
    })();
    const kills = await underKills(env, 8, () => Promise.resolve(0), 0);
    await feeding;
    expect(kills).toBe(8);
    const worker = startWorkerProcess(env);
    try {
      await until(() => statuses(prefix), (s) => s.sent === 1_000, 60_000);
    } finally {
      await kill(worker, 'SIGTERM');
    }
    expect(await statuses(prefix)).toEqual({ sent: 1_000 });
    const ids = await db.systemMail.findMany({ where: { idempotencyKey: { startsWith: `${prefix}:` } }, select: { providerMessageId: true } });
    expect(new Set(ids.map((r) => r.providerMessageId)).size).toBe(1_000);
  }, 180_000);
});
