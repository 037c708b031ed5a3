#!/usr/bin/env node
// Prisma's schema engine, offline. The Prisma CLI normally downloads a native `schema-engine`
// binary; this machine cannot. The CLI starts whatever PRISMA_SCHEMA_ENGINE_BINARY names and
// talks JSON-RPC to it, one JSON object per line on stdin/stdout. This script answers that
// protocol by forwarding each call to Prisma's own schema engine compiled to WebAssembly
// (@prisma/schema-engine-wasm) over the pg driver adapter. prisma.config.ts points the CLI here
// only when the variable is unset, so a machine with the native binary keeps using it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const VERSION = '59be4fda12412a79eeb9c2ae727b6aa723593323';

// --- arguments: --datamodels <file>..., --datasource <json>, [cli <command>], --version
const argv = process.argv.slice(2);
if (argv.includes('--version')) {
  process.stdout.write(`schema-engine-cli ${VERSION}\n`);
  process.exit(0);
}
const datamodelFiles = [];
let datasource = {};
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--datamodels') datamodelFiles.push(argv[++i]);
  else if (argv[i] === '--datasource') datasource = JSON.parse(argv[++i]);
}
const cliCommand = argv.includes('cli') ? argv[argv.indexOf('cli') + 1] : null;

// --- PostgreSQL through the same driver adapter the application uses
const requireFromAdapter = createRequire(require.resolve('@prisma/adapter-pg'));
const pg = requireFromAdapter('pg');
// The engine reads catalog columns of types "char" (OID 18) and name (19), which the adapter
// cannot map. name is text to it; "char" (pg_constraint.contype...) must come back as the
// Character column type, which the adapter only knows for arrays: describe it as text to pg,
// remember which columns they were, and correct the column types of the result (see wholeScripts).
const Result = requireFromAdapter('pg/lib/result.js');
const addFields = Result.prototype.addFields;
let charColumns = [];
Result.prototype.addFields = function (fields) {
  charColumns = fields.map((field) => field.dataTypeID === 18);
  for (const field of fields) if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
  return addFields.call(this, fields);
};
const CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
const { PrismaPg } = await import('@prisma/adapter-pg');
const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');

function poolConfig(url, database) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname) || undefined,
    port: u.port ? Number(u.port) : undefined,
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: database ?? (decodeURIComponent(u.pathname.slice(1)) || undefined),
    max: 2,
  };
}

async function adminQuery(sql) {
  const client = new pg.Client(poolConfig(datasource.url, 'postgres'));
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

// adapter-pg runs a script by splitting it on ";", which breaks function bodies ($$ ... $$) and
// comments in hand-written migrations. Run each script whole, as the native engine does
// (the simple query protocol accepts several statements).
function wholeScripts(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const chars = charColumns; // set while this query's rows were parsed (the bridge runs one query at a time)
    result.columnTypes = result.columnTypes.map((type, i) => (chars[i] ? CHARACTER : type));
    return result;
  };
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

// The WASM engine cannot create a shadow database itself: give it a fresh one (or the one
// configured) and drop what we created when it is done.
// Shadow databases not disposed by the engine (it can fail half-way) are dropped when the CLI hangs up.
const shadows = new Set();
const factory = new PrismaPg(poolConfig(datasource.url));
const connect = factory.connect.bind(factory);
factory.connect = async () => wholeScripts(await connect());
factory.connectToShadowDb = async () => {
  if (datasource.shadowDatabaseUrl) {
    const shadow = wholeScripts(await new PrismaPg(poolConfig(datasource.shadowDatabaseUrl)).connect());
    await shadow.executeScript('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    return shadow;
  }
  const name = `prisma_shadow_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  shadows.add(name);
  const shadow = wholeScripts(await new PrismaPg(poolConfig(datasource.url, name)).connect());
  const dispose = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await dispose();
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    shadows.delete(name);
  };
  return shadow;
};

// --- `cli can-connect-to-database` / `cli create-database`: answered with plain pg
function fail(errorCode, message) {
  const fields = { message, error_code: errorCode };
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', target: 'schema_engine::logger', fields })}\n`);
  process.exit(1);
}
if (cliCommand) {
  const database = poolConfig(datasource.url).database;
  try {
    if (cliCommand === 'can-connect-to-database') {
      const client = new pg.Client(poolConfig(datasource.url));
      await client.connect();
      await client.end();
    } else if (cliCommand === 'create-database') {
      await adminQuery(`CREATE DATABASE "${database}"`);
    } else if (cliCommand === 'drop-database') {
      await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } else {
      fail('P1000', `unsupported command: cli ${cliCommand}`);
    }
    process.exit(0);
  } catch (error) {
    if (error.code === '3D000') fail('P1003', `Database \`${database}\` does not exist`);
    fail('P1001', `Can't reach database server: ${error.message}`);
  }
}

// A Rust panic in the engine reports its message through this registry; without it the
// process dies with a TypeError and the CLI sees nothing. The message goes back as the error.
let lastPanic = null;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message) => {
    lastPanic = message;
    process.stderr.write(`${JSON.stringify({ level: "ERROR", fields: { message: `schema engine panicked: ${message}` } })}\n`);
  },
};

// --- the WASM engine, instantiated by hand: Node 20 cannot import a .wasm module
const enginePath = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
const glue = await import(path.join(enginePath, 'schema_engine_bg.js'));
const wasmModule = new WebAssembly.Module(readFileSync(path.join(enginePath, 'schema_engine_bg.wasm')));
const instance = new WebAssembly.Instance(wasmModule, { './schema_engine_bg.js': glue });
glue.__wbg_set_wasm(instance.exports);
instance.exports.__wbindgen_start();

const datamodels = datamodelFiles.length > 0 ? datamodelFiles.map((file) => [file, readFileSync(file, 'utf8')]) : undefined;
const log = (line) => process.stderr.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
const engine = await glue.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(factory));

// --- JSON-RPC over stdio
const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
let nextOwnId = 1_000_000;
const pendingPrints = new Map();
function print(content) {
  const id = nextOwnId++;
  return new Promise((resolve) => {
    pendingPrints.set(id, resolve);
    send({ id, method: 'print', params: { content } });
  });
}

const ALIASES = { getDatabaseVersion: 'version' };
let queue = Promise.resolve();

async function handle(request) {
  const method = ALIASES[request.method] ?? request.method;
  try {
    if (typeof engine[method] !== 'function') throw new Error(`Unknown method: ${request.method}`);
    // `migrate dev` runs diagnoseMigrationHistory before createMigration in the native engine's
    // session; the WASM engine needs the same opt-in to hand out a shadow database.
    if (method === 'createMigration' || method === 'evaluateDataLoss') {
      await engine.diagnoseMigrationHistory({ migrationsList: request.params.migrationsList, optInToShadowDatabase: true, filters: request.params.filters ?? { externalTables: [], externalEnums: [] } }).catch(() => undefined);
    }
    let result = await engine[method](request.params ?? {});
    if (method === 'diff' && result && typeof result.stdout === 'string') {
      await print(result.stdout);
      result = { exitCode: result.exitCode };
    }
    send({ id: request.id, result: result ?? null });
  } catch (error) {
    const message = lastPanic ?? error?.message ?? String(error);
    let data = { is_panic: lastPanic !== null, message, meta: null };
    lastPanic = null;
    try {
      const parsed = JSON.parse(message);
      if (parsed && typeof parsed === 'object') data = { is_panic: false, ...parsed, message: parsed.message ?? message };
    } catch {
      /* a plain message */
    }
    send({ id: request.id, error: { code: 4466, message: 'An error happened. Check the data field for details.', data } });
  }
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  if (!line.trim()) return;
  const message = JSON.parse(line);
  if (message.method === undefined && pendingPrints.has(message.id)) {
    pendingPrints.get(message.id)();
    pendingPrints.delete(message.id);
    return;
  }
  // One call at a time, in order, as the native engine does.
  queue = queue.then(() => handle(message));
}).on('close', () => {
  void queue
    .then(() => Promise.all([...shadows].map((name) => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined))))
    .then(() => process.exit(0));
});
