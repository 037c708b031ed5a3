#!/usr/bin/env node
// The arrows of ARCHITECTURE.md, checked on the source (part of `pnpm lint` and `npm test`):
//  - packages: db imports nothing of ours; domain no trpc or app; trpc no app; the web app
//    imports @crm/trpc for types only and @crm/domain only through its browser entry;
//  - inside packages/domain/src: the kernel (`shared/`) imports no domain folder, and the
//    folders import each other without a cycle;
//  - the time rule: domain code takes "now" from the clock it is given (`deps.now`, `clock()`);
//    only `shared/clock.ts` reads the system's (`new Date()` with no argument, `Date.now()`).
// Prints each breach with its file and fails; `--self-test` proves each rule can fail.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Breaches allowed for now, each with the reason; the list only shrinks. */
const KNOWN = new Set([
  // An event's occurredAt defaults to the system's time (nineteen callers give none): to be given
  // by each use case from its `now`, with the tests that fix `now` checked for the dashboard's day.
  'packages/domain/src/events/emit-event.ts: reads the system clock: take `now` or `clock` from the dependencies',
]);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

/** Each import or re-export of a file: its specifier and whether it is for types only. */
function importsOf(source) {
  const found = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(re)) found.push({ specifier: m[3], typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier: m[1], typeOnly: false });
  return found;
}

/** Drops comments and string contents, so that a rule never matches text about the code. */
const codeOnly = (source) =>
  source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1')
    .replace(/`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, "''");

export function checkBoundaries(files) {
  const problems = [];
  const add = (file, message) => {
    const line = `${file}: ${message}`;
    if (!KNOWN.has(line)) problems.push(line);
  };
  const domainEdges = new Map();
  for (const { file, source } of files) {
    const imports = importsOf(source);
    const ours = (prefix) => imports.filter((i) => i.specifier === prefix || i.specifier.startsWith(`${prefix}/`));
    if (file.startsWith('packages/db/src/')) {
      for (const i of imports) if (i.specifier.startsWith('@crm/')) add(file, `the db package imports nothing of ours (${i.specifier})`);
    }
    if (file.startsWith('packages/domain/src/')) {
      for (const name of ['@crm/trpc', '@crm/api', '@crm/worker', '@crm/web']) for (const i of ours(name)) add(file, `the domain imports no ${name} (${i.specifier})`);
      const relative = file.slice('packages/domain/src/'.length);
      const folder = relative.includes('/') ? relative.split('/')[0] : '.';
      for (const i of imports) {
        if (!i.specifier.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(relative), i.specifier));
        const to = target.includes('/') ? target.split('/')[0] : '.';
        if (to === folder || to === '..') continue;
        if (folder === 'shared' && to !== '.') add(file, `the kernel (shared/) imports no domain (${i.specifier})`);
        if (!domainEdges.has(folder)) domainEdges.set(folder, new Map());
        if (!domainEdges.get(folder).has(to)) domainEdges.get(folder).set(to, file);
      }
      if (relative !== 'shared/clock.ts') {
        const code = codeOnly(source);
        if (/\bnew\s+Date\s*\(\s*\)/.test(code) || /\bDate\.now\s*\(/.test(code)) add(file, 'reads the system clock: take `now` or `clock` from the dependencies');
      }
    }
    if (file.startsWith('packages/trpc/src/')) {
      for (const name of ['@crm/api', '@crm/worker', '@crm/web']) for (const i of ours(name)) add(file, `trpc imports no app (${i.specifier})`);
    }
    if (file.startsWith('apps/web/src/')) {
      for (const i of ours('@crm/trpc')) if (!i.typeOnly) add(file, `the web app imports @crm/trpc for types only (import type): ${i.specifier}`);
      for (const i of ours('@crm/domain')) if (i.specifier !== '@crm/domain/browser' && !i.typeOnly) add(file, `the web app imports @crm/domain/browser only (${i.specifier})`);
      for (const i of ours('@crm/db')) if (!i.typeOnly) add(file, `the web app imports no @crm/db (${i.specifier})`);
    }
  }
  // Folder cycles in the domain (the folder "." is the package's entry points, which import everything).
  const graph = new Map([...domainEdges].filter(([from]) => from !== '.').map(([from, to]) => [from, new Map([...to].filter(([t]) => t !== '.'))]));
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const [next, via] of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        add(via, `import cycle between domain folders: ${cycle.join(' -> ')}`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return problems;
}

function selfTest() {
  const cases = [
    [{ file: 'packages/db/src/a.ts', source: "import { x } from '@crm/domain';" }, 'imports nothing of ours'],
    [{ file: 'packages/domain/src/a/b.ts', source: "import { t } from '@crm/trpc';" }, 'imports no @crm/trpc'],
    [{ file: 'packages/domain/src/shared/b.ts', source: "import type { A } from '../auth/tokens.ts';" }, 'the kernel'],
    [{ file: 'packages/domain/src/a/b.ts', source: 'const t = new Date();' }, 'system clock'],
    [{ file: 'packages/domain/src/a/b.ts', source: 'const t = Date.now();' }, 'system clock'],
    [{ file: 'apps/web/src/a.tsx', source: "import { appRouter } from '@crm/trpc';" }, 'types only'],
    [{ file: 'apps/web/src/a.tsx', source: "import { fold } from '@crm/domain';" }, 'browser only'],
    [{ file: 'packages/trpc/src/a.ts', source: "import { x } from '@crm/api';" }, 'imports no app'],
  ];
  for (const [file, expected] of cases) {
    const found = checkBoundaries([file]);
    if (!found.some((p) => p.includes(expected))) throw new Error(`self-test: ${file.file} should break "${expected}", got ${JSON.stringify(found)}`);
  }
  const cycle = checkBoundaries([
    { file: 'packages/domain/src/a/x.ts', source: "import { y } from '../b/y.ts';" },
    { file: 'packages/domain/src/b/y.ts', source: "import { x } from '../a/x.ts';" },
  ]);
  if (!cycle.some((p) => p.includes('a -> b -> a'))) throw new Error(`self-test: the cycle was not found: ${JSON.stringify(cycle)}`);
  const clean = checkBoundaries([
    { file: 'packages/domain/src/shared/clock.ts', source: 'export const systemClock = () => new Date();' },
    { file: 'packages/domain/src/a/x.ts', source: "// new Date() in a comment\nimport { y } from '../shared/y.ts';\nconst d = new Date(iso); const s = 'Date.now()';" },
    { file: 'apps/web/src/a.tsx', source: "import type { AppRouter } from '@crm/trpc';\nimport { planSchedule } from '@crm/domain/browser';" },
  ]);
  if (clean.length > 0) throw new Error(`self-test: false alarms: ${JSON.stringify(clean)}`);
  console.log('check-boundaries self-test: every rule fails when broken, none on clean code');
}

if (process.argv.includes('--self-test')) selfTest();
else {
  const files = [];
  for (const dir of ['packages/db/src', 'packages/domain/src', 'packages/trpc/src', 'apps/web/src']) {
    for (const full of sourceFiles(path.join(root, dir))) files.push({ file: path.relative(root, full).split(path.sep).join('/'), source: readFileSync(full, 'utf8') });
  }
  const problems = checkBoundaries(files);
  if (problems.length > 0) {
    console.error(`Boundaries (ARCHITECTURE.md) broken in ${problems.length} place(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`boundaries: ${files.length} files, no breach`);
}
