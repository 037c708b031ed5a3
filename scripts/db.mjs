#!/usr/bin/env node
// `npm run db:studio | db:seed | db:migrate | db:deploy`: the database commands, with only Node.
//   studio   Prisma Studio on http://localhost:5555, as the owner (every tenant's rows)
//   seed     the demo organisation (idempotent), as the application role crm_app
//   migrate  prisma migrate dev (create and apply a migration after editing the schema)
//   deploy   prisma migrate deploy (on a server: then crm_app's password from CRM_APP_PASSWORD)
//   rotate-mail-keys [--dry-run] [--data-keys]  the mail accounts' key rotation (README, "Mail account keys")
// With nothing set they act on the embedded PostgreSQL of `npm start` (.data/postgres,
// 127.0.0.1:54320, database crm): the one `npm start` runs, or started here for the command and
// stopped after it. With MIGRATE_DATABASE_URL / DATABASE_URL (or the predecessor's DB_*) set,
// they act on that server. Extra arguments go to the Prisma command.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [command, ...extra] = process.argv.slice(2);
const commands = ['studio', 'seed', 'migrate', 'deploy', 'rotate-mail-keys'];
if (!commands.includes(command)) {
  console.error(`usage: node scripts/db.mjs ${commands.join('|')} [arguments for prisma]`);
  process.exit(2);
}

// A fresh clone: install the workspace first (the same way `npm start` does).
if (!existsSync(path.join(root, 'node_modules', '.modules.yaml'))) {
  const installed = spawnSync(process.execPath, [path.join(root, 'scripts', 'crm.mjs'), 'install'], { stdio: 'inherit' });
  if (installed.status !== 0) process.exit(installed.status ?? 1);
}

const dbPackage = path.join(root, 'packages', 'db');
const prismaCli = createRequire(path.join(dbPackage, 'package.json')).resolve('prisma/build/index.js');
const tsxLoader = createRequire(path.join(root, 'apps', 'api', 'package.json')).resolve('tsx');
const seedCli = path.join(root, 'packages', 'domain', 'src', 'demo', 'seed-cli.ts');
const rotateCli = path.join(root, 'packages', 'domain', 'src', 'mail-accounts', 'rotate-mail-keys-cli.ts');
const env = process.env;

let current = null;
let stopEmbedded = async () => undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (current) current.kill(signal);
    else void stopEmbedded().then(() => process.exit(1));
  });
}
function run(args, options) {
  return new Promise((resolve) => {
    current = spawn(process.execPath, args, { stdio: 'inherit', ...options, env: { ...env, ...options.env } });
    current.once('exit', (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
/** The Prisma CLI; `main` marks the command the user asked for, which gets their extra arguments. */
const prisma = (args, url, main = true) => run([prismaCli, ...args, ...(main ? extra : [])], { cwd: dbPackage, env: url ? { MIGRATE_DATABASE_URL: url } : {} });

let status;
if (env.MIGRATE_DATABASE_URL || env.DATABASE_URL || env.DB_HOST) {
  // A server of one's own: prisma.config.ts reads MIGRATE_DATABASE_URL, DATABASE_URL or DB_*.
  if (command === 'studio') status = await prisma(['studio', '--browser', 'none', ...(extra.includes('--port') || extra.includes('-p') ? [] : ['--port', '5555'])]);
  else if (command === 'migrate') status = await prisma(['migrate', 'dev']);
  // prisma migrate deploy, then crm_app's password when CRM_APP_PASSWORD is set.
  else if (command === 'deploy') status = await run([path.join(dbPackage, 'scripts', 'migrate-deploy.mjs'), ...extra], { cwd: dbPackage, env: {} });
  else if (command === 'rotate-mail-keys') status = await run(['--import', tsxLoader, rotateCli, ...extra], { cwd: root, env: {} });
  else status = await run(['--import', tsxLoader, seedCli], { cwd: root, env: {} });
} else {
  const { startEmbedded, setAppPassword } = await import('./embedded-pg.mjs');
  const dataRoot = path.resolve(env.CRM_DATA_DIR ?? path.join(root, '.data'));
  const pg = await startEmbedded(dataRoot);
  stopEmbedded = () => pg.server.stop();
  if (!pg.server.reused) console.log(`PostgreSQL 18 (embedded) started on 127.0.0.1:${pg.port} for this command; it stops with it.`);
  // Studio and the seed need the schema: bring a new database up to date first.
  if (command === 'migrate') status = await prisma(['migrate', 'dev'], pg.ownerUrl);
  else status = await prisma(['migrate', 'deploy'], pg.ownerUrl, command === 'deploy');
  if (status === 0) await setAppPassword(pg);
  if (status === 0 && command === 'studio') {
    console.log(`Prisma Studio on http://localhost:5555 (as the owner: every organisation's rows). Demo login: demo@crm.local / demo-crm-2026`);
    status = await prisma(['studio', '--browser', 'none', ...(extra.includes('--port') || extra.includes('-p') ? [] : ['--port', '5555'])], pg.ownerUrl);
  } else if (status === 0 && command === 'seed') {
    status = await run(['--import', tsxLoader, seedCli], { cwd: root, env: { DATABASE_URL: pg.appUrl, DOCUMENTS_DIR: path.join(dataRoot, 'documents') } });
  } else if (status === 0 && command === 'rotate-mail-keys') {
    // The embedded key (.data/mail-master-key) is the current one unless MAIL_MASTER_KEY names a new one.
    const keyFile = path.join(dataRoot, 'mail-master-key');
    const current = env.MAIL_MASTER_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '');
    status = await run(['--import', tsxLoader, rotateCli, ...extra], { cwd: root, env: { DATABASE_URL: pg.appUrl, MAIL_MASTER_KEY: current } });
  }
  await pg.server.stop();
}
process.exit(status);
