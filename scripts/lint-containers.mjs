#!/usr/bin/env node
// Lints the Dockerfile and docker-compose.yml (hadolint cannot be downloaded here, and no
// container engine runs): pinned base images, non-root targets, health checks, no ADD of URLs,
// runtime stages that copy only the build's artefact and install nothing, a .dockerignore that
// keeps node_modules and local data out; in the compose file, pinned images, health checks and
// the application role for the apps. `--self-test` checks that each rule catches its fault.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const TARGETS = { api: { healthcheck: true }, worker: { healthcheck: true }, migrate: { healthcheck: false } };
const pinned = (image) => /@sha256:[0-9a-f]{64}$/.test(image) || /:[^:@/]*\d+\.\d+[^:@/]*$/.test(image);

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text) {
  const out = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    current += (current ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (!line.endsWith('\\')) {
      const [keyword, ...rest] = current.split(/\s+/);
      out.push({ keyword: keyword.toUpperCase(), args: rest.join(' ') });
      current = '';
    }
  }
  return out;
}

export function lintDockerfile(text, dockerignore) {
  const problems = [];
  const stages = new Map();
  let stage = null;
  for (const { keyword, args } of instructions(text)) {
    if (keyword === 'FROM') {
      const [image, as, name] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      stage = { name: as?.toUpperCase() === 'AS' ? name : `#${stages.size}`, parent: stages.get(image) ?? null, image, user: null, healthcheck: null, instructions: [] };
      if (!stage.parent && !pinned(image)) problems.push(`FROM ${image}: pin the base image (an exact version tag or @sha256 digest)`);
      stages.set(stage.name, stage);
      continue;
    }
    if (!stage) continue;
    stage.instructions.push({ keyword, args });
    if (keyword === 'USER') stage.user = args.split(':')[0];
    if (keyword === 'HEALTHCHECK') stage.healthcheck = args.startsWith('NONE') ? 'none' : 'cmd';
    if (keyword === 'ADD') problems.push(`${stage.name}: ADD ${args}: use COPY (and never fetch URLs in a build)`);
  }
  const inherited = (s, key) => (s ? (s[key] ?? inherited(s.parent, key)) : null);
  const chain = (s) => (s ? [s, ...chain(s.parent)] : []);
  for (const [target, rule] of Object.entries(TARGETS)) {
    const s = stages.get(target);
    if (!s) {
      problems.push(`target ${target} is missing`);
      continue;
    }
    const user = inherited(s, 'user');
    if (!user || user === 'root' || user === '0') problems.push(`${target}: runs as ${user ?? 'root (no USER)'}; set a non-root USER`);
    const health = inherited(s, 'healthcheck');
    if (rule.healthcheck && health !== 'cmd') problems.push(`${target}: no HEALTHCHECK`);
    if (!rule.healthcheck && !health) problems.push(`${target}: say HEALTHCHECK NONE for a one-shot container`);
    // The runtime side: every stage the target is made of, up to its base image.
    for (const part of chain(s)) {
      for (const { keyword, args } of part.instructions) {
        if (keyword === 'COPY' && !/--from=build\b/.test(args)) problems.push(`${part.name}: COPY ${args}: a runtime stage copies only the build's artefact (--from=build /out/...)`);
        if (keyword === 'COPY' && /--from=build\b/.test(args) && !/\s\/out\//.test(` ${args}`)) problems.push(`${part.name}: COPY ${args}: copy from /out (the artefact), not the build tree`);
        if (keyword === 'RUN' && /\b(npm|pnpm|yarn)\s+(i|install|ci|add)\b|apt-get\s+install|apk\s+add/.test(args)) problems.push(`${part.name}: RUN ${args}: a runtime stage installs nothing`);
      }
    }
  }
  if (dockerignore === null) problems.push('.dockerignore is missing');
  else for (const entry of ['node_modules', '.data', '.git']) if (!dockerignore.split('\n').some((line) => line.trim().replace(/^\*\*\//, '') === entry)) problems.push(`.dockerignore: add ${entry}`);
  return problems;
}

/** Services of a compose file, by a small indentation-based reading (no YAML library here). */
function composeServices(text) {
  const services = new Map();
  let inServices = false;
  let current = null;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inServices = line.startsWith('services:');
    else if (inServices && /^ {2}[A-Za-z0-9_-]+:\s*$/.test(line)) services.set((current = line.trim().slice(0, -1)), []);
    else if (inServices && current && line.trim()) services.get(current).push(line);
  }
  return services;
}

export function lintCompose(text) {
  const problems = [];
  const services = composeServices(text);
  for (const [name, lines] of services) {
    const body = lines.join('\n');
    const image = body.match(/^ {4}image:\s*(\S+)/m)?.[1];
    if (image && !pinned(image)) problems.push(`${name}: image ${image}: pin it (an exact version tag or @sha256 digest)`);
    if (!image && !/^ {4}build:/m.test(body)) problems.push(`${name}: neither image nor build`);
    const oneShot = /^ {4}restart:\s*"?no"?\s*$/m.test(body);
    if (!oneShot && !/^ {4}healthcheck:/m.test(body)) problems.push(`${name}: no healthcheck`);
  }
  for (const name of ['postgres', 'nats', 'migrate', 'api', 'worker']) if (!services.has(name)) problems.push(`service ${name} is missing`);
  if (!/--jetstream|-js\b/.test(services.get('nats')?.join('\n') ?? '') || !/--store_dir|-sd\b/.test(services.get('nats')?.join('\n') ?? '')) problems.push('nats: JetStream on file storage (--jetstream --store_dir) with a volume');
  if (!/DB_USERNAME:\s*crm_app/.test(text)) problems.push('api and worker must connect as the application role crm_app');
  for (const name of ['api', 'worker']) {
    const body = services.get(name)?.join('\n') ?? '';
    if (/DB_USERNAME:\s*postgres|DATABASE_URL:\s*\S*\/\/postgres[:@]/.test(body)) problems.push(`${name}: connects as the owner; use crm_app`);
    if (!/condition:\s*service_completed_successfully/.test(body)) problems.push(`${name}: start after the migrations (depends_on migrate: service_completed_successfully)`);
  }
  return problems;
}

function selfTest() {
  const good = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8');
  const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  const cases = [
    ['an unpinned base', lintDockerfile(good.replaceAll('node:20.20.2-bookworm-slim', 'node:20-slim'), ignore), /pin the base image/],
    ['latest', lintDockerfile(good.replaceAll('node:20.20.2-bookworm-slim', 'node:latest'), ignore), /pin the base image/],
    ['root', lintDockerfile(good.replace('USER node', 'USER root'), ignore), /runs as root/],
    ['no USER', lintDockerfile(good.replace('USER node', ''), ignore), /runs as root/],
    ['no health check', lintDockerfile(good.replace(/HEALTHCHECK --interval[^\n]*\\\n[^\n]*3000[^\n]*\n/, ''), ignore), /api: no HEALTHCHECK/],
    ['ADD of a URL', lintDockerfile(good.replace('WORKDIR /app', 'WORKDIR /app\nADD https://example.com/x.tgz /x'), ignore), /ADD https/],
    ['the build tree copied', lintDockerfile(good.replace('COPY --from=build --chown=node:node /out/app /app', 'COPY . /app'), ignore), /copies only the build's artefact/],
    ['an install at run time', lintDockerfile(good.replace('WORKDIR /app', 'WORKDIR /app\nRUN npm install left-pad'), ignore), /installs nothing/],
    ['node_modules sent', lintDockerfile(good, ignore.replace('**/node_modules', '')), /\.dockerignore: add node_modules/],
    ['an unpinned compose image', lintCompose(compose.replace('postgres:18.4-bookworm', 'postgres:18')), /postgres: image postgres:18: pin/],
    ['a service without health check', lintCompose(compose.replace(/ {4}healthcheck:\n {6}test: \["CMD", "pg_isready"[^\n]*\n/, '')), /postgres: no healthcheck/],
    ['the owner for the apps', lintCompose(compose.replace('DB_USERNAME: crm_app', 'DB_USERNAME: postgres')), /crm_app/],
  ];
  let failed = 0;
  for (const [name, problems, expected] of cases) {
    const caught = problems.some((p) => expected.test(p));
    if (!caught) failed++;
    console.log(`${caught ? 'ok  ' : 'MISS'} ${name}${caught ? '' : `: ${JSON.stringify(problems)}`}`);
  }
  const clean = [...lintDockerfile(good, ignore), ...lintCompose(compose)];
  console.log(`${clean.length === 0 ? 'ok  ' : 'FAIL'} the repository's files are clean${clean.length ? `: ${clean.join('; ')}` : ''}`);
  return failed === 0 && clean.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--self-test')) process.exit(selfTest() ? 0 : 1);
  const dockerignore = existsSync(path.join(root, '.dockerignore')) ? readFileSync(path.join(root, '.dockerignore'), 'utf8') : null;
  const problems = [
    ...lintDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'), dockerignore).map((p) => `Dockerfile: ${p}`),
    ...lintCompose(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')).map((p) => `docker-compose.yml: ${p}`),
  ];
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log('Dockerfile and docker-compose.yml: no problem found');
}
