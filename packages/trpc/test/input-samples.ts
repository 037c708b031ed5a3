import { randomUUID } from 'node:crypto';
import type { AnyProcedure } from '@trpc/server';
import type { z } from 'zod';
import { appRouter } from '../src/root.ts';

// Reads every procedure's zod input schema: its leaves (the values a caller types), a valid
// input made from them, and values no leaf may accept. The input-rules sweep (in process) and
// the HTTP fuzz test (apps/api) both build on it, so a new procedure is covered by both
// without a line of test code, as long as a valid input can be derived for it.

type Path = (string | number)[];

interface Def {
  type: string;
  format?: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

export interface Leaf {
  path: Path;
  /** The schema of the value at `path` (with its refinements; wrappers peeled). */
  schema: z.ZodType;
  /** null is a valid value here. */
  nullable: boolean;
  kind: 'text' | 'uuid' | 'day' | 'instant' | 'paris-local' | 'month' | 'cursor' | 'enum' | 'literal' | 'number' | 'boolean' | 'union';
}

export interface ProcedureInput {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: string;
  schema: z.ZodType;
}

/** Every procedure that declares an input, with its schema. */
export function proceduresWithInput(): ProcedureInput[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures).flatMap(([path, procedure]) => {
    const schema = (procedure._def as unknown as { inputs?: z.ZodType[] }).inputs?.[0];
    const access = (procedure._def.meta as { access?: string } | undefined)?.access ?? 'none';
    return schema ? [{ path, type: procedure._def.type, access, schema }] : [];
  });
}

/** Procedures that take no input (a query with nothing to fuzz but its ignored input). */
export function proceduresWithoutInput(): { path: string; type: string; access: string }[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
  return Object.entries(procedures)
    .filter(([, procedure]) => !(procedure._def as unknown as { inputs?: unknown[] }).inputs?.length)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, access: (procedure._def.meta as { access?: string } | undefined)?.access ?? 'none' }));
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional / nullable / default wrappers (and the input side of pipes), and whether null passes. */
function peel(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let current = schema;
  let nullable = false;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'nullable') nullable = true;
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else return { inner: current, nullable };
  }
}

/** The first schema of a pipe chain: what the caller's value must be. */
function inputSide(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (defOf(current).type === 'pipe' && defOf(current).in) current = defOf(current).in!;
  return current;
}

// Valid values tried in turn on a leaf: the first its schema accepts is its sample.
const TEXT_CANDIDATES = [
  'Dupont',
  'ABC-1',
  'a long enough password',
  '2026-03-02',
  '2026-03-02T10:00:00+01:00',
  '2026-12-03T10:00',
  '2026-12',
  'lea.martin@example.test',
  '+33612345678',
  'FR1420041010050500013M02606',
  'BNPAFRPP',
  '732829320',
  '73282932000074',
  'FR44732829320',
  '75002',
  'FR',
  'Europe/Paris',
  'fr-FR',
  'AM04',
  'FR72ZZZ123456',
  'aGVsbG8=',
  'abcdefghijklmnop.secret',
  'NORMAL',
];
const NUMBER_CANDIDATES = [1, 2026, 0, 5, 100];
/** Fields whose schema alone accepts more than their object does (a French postal code is checked with the country). */
const FIELD_SAMPLES: Record<string, unknown> = { postalCode: '75002' };

function classify(leafSchema: z.ZodType, sample: unknown, name: string | number | undefined): Leaf['kind'] {
  const def = defOf(inputSide(leafSchema));
  if (def.type === 'enum') return 'enum';
  if (def.type === 'literal') return 'literal';
  if (def.type === 'number') return 'number';
  if (def.type === 'boolean') return 'boolean';
  if (def.type === 'union') return 'union';
  if (name === 'cursor') return 'cursor';
  if (def.format === 'uuid') return 'uuid';
  if (def.format === 'date') return 'day';
  if (def.format === 'datetime') return 'instant';
  // A text leaf that takes a date-like value but no ordinary words is a date of another shape.
  if (typeof sample === 'string' && !leafSchema.safeParse('Dupont Durand Martin').success) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(sample)) return 'paris-local';
    if (/^\d{4}-\d{2}$/.test(sample)) return 'month';
  }
  return 'text';
}

function sampleLeaf(schema: z.ZodType): unknown {
  const def = defOf(inputSide(schema));
  const accepts = (value: unknown) => schema.safeParse(value).success;
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {}).find(accepts);
    case 'literal':
      return def.values?.find(accepts);
    case 'boolean':
      return false;
    case 'number':
      return NUMBER_CANDIDATES.find(accepts);
    case 'union':
      for (const option of def.options ?? []) {
        const value = sample(option);
        if (accepts(value)) return value;
      }
      return undefined;
    default:
      if (def.format === 'uuid') return randomUUID();
      return TEXT_CANDIDATES.find(accepts);
  }
}

/** A value of `schema` built from its leaves: every optional field present, arrays of one element. */
export function sample(schema: z.ZodType): unknown {
  const { inner } = peel(schema);
  const def = defOf(inputSide(inner));
  if (def.type === 'object') {
    return Object.fromEntries(Object.entries(def.shape ?? {}).map(([key, field]) => [key, key in FIELD_SAMPLES ? FIELD_SAMPLES[key] : sample(field)]));
  }
  if (def.type === 'array') return [sample(def.element!)];
  return sampleLeaf(inner);
}

/** Every leaf of `schema` (object fields, array elements at index 0), with its path and kind. */
export function leavesOf(schema: z.ZodType, path: Path = []): Leaf[] {
  const { inner, nullable } = peel(schema);
  const def = defOf(inputSide(inner));
  if (def.type === 'object') return Object.entries(def.shape ?? {}).flatMap(([key, field]) => leavesOf(field, [...path, key]));
  if (def.type === 'array') return leavesOf(def.element!, [...path, 0]);
  return [{ path, schema: inner, nullable, kind: classify(inner, sampleLeaf(inner), path.at(-1)) }];
}

/** Paths of every object in the schema (the root is []): where an unknown key must be refused. */
export function objectPaths(schema: z.ZodType, path: Path = []): Path[] {
  const { inner } = peel(schema);
  const def = defOf(inputSide(inner));
  if (def.type === 'object') return [path, ...Object.entries(def.shape ?? {}).flatMap(([key, field]) => objectPaths(field, [...path, key]))];
  if (def.type === 'array') return objectPaths(def.element!, [...path, 0]);
  return [];
}

/** `value` with `replacement` at `path` (copied, the original untouched). */
export function setAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const array = Array.isArray(value) ? [...(value as unknown[])] : [];
    array[head] = setAt(array[head], rest, replacement);
    return array;
  }
  const object = { ...((value ?? {}) as Record<string, unknown>) };
  object[head!] = setAt(object[head!], rest, replacement);
  return object;
}

export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<string | number, unknown> | undefined)?.[key], value);
}

// Values no leaf of its kind may accept. Every string leaf refuses control characters, NUL and
// lone surrogates, whatever else it accepts; and a string far past any field's length.
export const HOSTILE_TEXT = [
  'a\u0000b',
  '\u0000',
  'Dupont\u0000',
  'a\u0007b',
  'a\u001bb',
  'a\u007fb',
  'a\u0085b',
  'a\u009bb',
  'a\ud800b',
  'a\udc00',
  '\ud83d',
] as const;
export const HUGE_TEXT = 'a'.repeat(200_001);
export const HOSTILE_DAYS = ['0000-01-01', '9999-12-31', '2026-02-30', '2025-02-29', '1899-12-31', '2200-01-01', '2026-13-01', '2026-1-1', '20260101', '-002026-01-01'];
export const HOSTILE_INSTANTS = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T10:00:00Z', '+275760-09-13T00:00:00.000Z', '2026-03-02T25:00:00Z', '1899-12-31T23:59:59Z'];
export const HOSTILE_PARIS_LOCAL = ['0000-01-01T10:00', '9999-12-31T23:59', '2026-02-30T10:00', '2026-03-02T24:00', '2026-03-02T10:60'];
export const HOSTILE_MONTHS = ['0000-01', '9999-12', '2026-13', '2026-00', '1899-12', '2200-01'];
export const HOSTILE_UUIDS = ['not-a-uuid', "' OR 1=1 --", '01900000-0000-7000-8000-00000000000g', '01900000000070008000000000000001'];
export const HOSTILE_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, 0.5, -1.5, '1', 'NaN', 'Infinity', '1e3', true, {}, []];
export const HOSTILE_BOOLEANS = ['true', 'false', 1, 0, 'yes', {}, []];
export const WRONG_TYPES_FOR_TEXT = [12_345, true, {}, [], { $gt: '' }, ['a']];

/** Cursors a client could craft; decoded by the use case, refused with a field error. */
export function craftedCursors(): string[] {
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const id = '01900000-0000-7000-8000-000000000001';
  return [
    b64(['clients-name/1', 'dupont', 'not-a-uuid']),
    b64(['clients-name/1', 'a\u0000b', id]),
    b64(['clients-created/1', '1', id]),
    b64(['clients-created/1', '0000-01-01T00:00:00.000Z', id]),
    b64(['contracts/1', '2026-02-30T10:00:00.000Z', id]),
    b64(['contracts/1', '+275760-09-13T00:00:00.000Z', id]),
    b64(['client-activities/1', '2026-03-02T10:00:00.000Z', "' OR 1=1 --"]),
    b64(['client-timeline/1', '2026-03-02T10:00:00.000Z', `activity:${id}'`]),
    b64(['other-list/1', '2026-03-02T10:00:00.000Z', id]),
    b64(['2026-03-02T10:00:00.000Z', id]),
    b64({ v: 1 }),
    b64('not json'),
    b64(['clients-name/1', { $gt: '' }, id]),
    b64(['clients-name/1', 'x'.repeat(5_000), id]).slice(0, 600),
    '!!!not-base64!!!',
    'a'.repeat(601),
  ];
}

/** The hostile values a leaf must refuse, by its kind (strings of every kind refuse HOSTILE_TEXT too). */
export function hostileValuesFor(leaf: Leaf): unknown[] {
  const always = [...(leaf.nullable ? [] : [null])];
  switch (leaf.kind) {
    case 'number':
      return [...always, ...HOSTILE_NUMBERS];
    case 'boolean':
      return [...always, ...HOSTILE_BOOLEANS];
    case 'literal': {
      const values = defOf(inputSide(leaf.schema)).values ?? [];
      return [...always, ...HOSTILE_TEXT, 'false', 0, -1, {}].filter((value) => !values.includes(value));
    }
    default: {
      const byKind: Record<string, readonly unknown[]> = {
        day: HOSTILE_DAYS,
        instant: HOSTILE_INSTANTS,
        'paris-local': HOSTILE_PARIS_LOCAL,
        month: HOSTILE_MONTHS,
        uuid: HOSTILE_UUIDS,
      };
      return [...always, ...HOSTILE_TEXT, HUGE_TEXT, ...WRONG_TYPES_FOR_TEXT, ...(byKind[leaf.kind] ?? [])];
    }
  }
}

/**
 * What a procedure needs beyond what its leaves give alone to pass its own schema (rules
 * across fields). A procedure whose derived input fails its schema must be listed here.
 */
export const SAMPLE_OVERRIDES: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
  'appointments.create': (i) => ({ ...i, startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00' }),
  'appointments.update': (i) => ({ ...i, startsAt: '2026-12-03T10:00', endsAt: '2026-12-03T11:00' }),
  'appointments.list': (i) => ({ ...i, from: '2026-11-30', to: '2026-12-07' }),
  'dashboard.daily': (i) => ({ ...i, from: '2026-03-01', to: '2026-03-02' }),
  'clients.reassign': ({ fromSalesRepId: _, ...i }) => i,
  'clientImports.dryRun': (i) => ({ ...i, mapping: ['lastName', null] }),
  'auth.signUp': (i) => ({ ...i, email: `fuzz.${randomUUID().slice(0, 8)}@example.test` }),
  'invitations.accept': (i) => ({ ...i, password: 'a long enough password' }),
  // Tiers go up from 0; a month is its first day; a plan goes to a rep or a team, not both.
  'commissions.createPlan': (i) => ({ ...i, rules: { ...(i.rules as object), tiers: null } }),
  'commissions.addPlanVersion': (i) => ({ ...i, rules: { ...(i.rules as object), tiers: null } }),
  'commissions.simulate': (i) => ({ ...i, month: '2027-01-01', rules: { ...(i.rules as object), tiers: null } }),
  'commissions.assignPlan': ({ team: _, ...i }) => i,
  'commissions.issueStatements': (i) => ({ ...i, month: '2026-01-01' }),
  'commissions.payrollExport': (i) => ({ ...i, month: '2026-01-01' }),
};

/** A valid input of the procedure, derived from its schema (and SAMPLE_OVERRIDES). */
export function validInput(procedure: ProcedureInput): unknown {
  const derived = sample(procedure.schema);
  const override = SAMPLE_OVERRIDES[procedure.path];
  return override && derived && typeof derived === 'object' ? override(derived as Record<string, unknown>) : derived;
}
