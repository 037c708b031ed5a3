import { rm } from 'node:fs/promises';
import { withSystem } from '@crm/db';
import { tenantFingerprint } from '@crm/db/testing/fingerprint';
import { isSaneDay, LocalDiskStorage } from '@crm/domain';
import { testAuthDeps } from '@crm/domain/testing';
import {
  craftedCursors,
  getAt,
  HOSTILE_TEXT,
  HUGE_TEXT,
  hostileValuesFor,
  leavesOf,
  objectPaths,
  proceduresWithInput,
  setAt,
  validInput,
  type Leaf,
} from '@crm/trpc/testing/input-samples';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { useApiServer } from './api-server.ts';

// Hostile input, generated, sent through real HTTP to the real API on the test database: to
// every procedure (derived from its zod input schema, mutating a valid input: control
// characters, NUL, lone surrogates, huge strings, impossible and far dates, negative, huge and
// fractional numbers, numbers as strings, crafted cursors, wrong types, unknown keys, deep objects)
// and to every file route (names, ids, query parameters, bodies, encodings, forms). Every answer
// must be a 4xx, a 400 must name what it refuses (field errors), and the organisation's data must
// be exactly what it was. A fixed seed and a bounded number of runs keep it reproducible and quick.

const SEED = 20_261_207;
const RUNS_PER_PROCEDURE = 8;
const RUNS_PER_ROUTE = 30;

const storage = LocalDiskStorage.temporary('crm-api-fuzz');
const services = { ...testAuthDeps(), documents: { storage, maxBytes: 64 * 1024 } };
const api = useApiServer(services);
afterAll(() => rm(storage.root, { recursive: true, force: true }));

let owner: { token: string; tenantId: string };
let clientId = '';
let contractId = '';

beforeAll(async () => {
  owner = await api.signUp('Fuzz');
  const data = <T = any>(path: string, input: unknown) => api.data<T>(owner.token, path, input);
  clientId = (await data('clients.create', { kind: 'company', companyName: 'Cible du fuzz' })).client.id;
  const product = await data('products.create', { code: 'FUZZ', name: 'Produit', priceCents: 1_000, vatRateCode: 'NORMAL', billingFrequency: 'monthly', effectiveFrom: '2026-01-01' });
  contractId = (await data('contracts.create', { clientId, lines: [{ productId: product.id, quantity: 1 }], startDate: '2026-03-01', durationMonths: 12, paymentMethod: 'transfer' })).id;
});

/** The organisation's rows (tenantFingerprint), and the users a public procedure would have made. */
async function fingerprint(tenantId: string): Promise<Record<string, string>> {
  const hashes = await tenantFingerprint(services.db, tenantId);
  // Public procedures act on no organisation: a sign-up that got through would leave its user.
  const [users] = await withSystem(services.db, (tx) => tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM users WHERE email LIKE 'fuzz.%@example.test'`);
  hashes['users (fuzz sign-ups)'] = String(users!.n);
  return hashes;
}

interface Answer {
  status: number;
  json: unknown;
  text: string;
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Answer> {
  const response = await fetch(`${api.base()}${path}`, { method, headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: a status line from Node itself (431) */
  }
  return { status: response.status, json, text };
}

/** A procedure over HTTP as the web app calls it: queries by GET, mutations by POST. */
function callProcedure(path: string, type: string, input: unknown, token: string | null): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  if (type === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return send('GET', `/trpc/${path}${query}`, { headers });
  }
  return send('POST', `/trpc/${path}`, { headers, body: JSON.stringify(input) ?? '' });
}

const fieldErrorsOf = (answer: Answer): Record<string, string[]> | null => {
  const error = (answer.json as { error?: { fieldErrors?: Record<string, string[]>; data?: { fieldErrors?: Record<string, string[]> } } } | null)?.error;
  return error?.data?.fieldErrors ?? error?.fieldErrors ?? null;
};

/** Why an answer is wrong for a hostile request, or null: never a 2xx, 3xx or 5xx; a 400 always names what it refuses. */
function wrongAnswer(answer: Answer, leaf?: string): string | null {
  if (answer.status < 400 || answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status !== 400) return null;
  const fields = fieldErrorsOf(answer);
  if (!fields || Object.keys(fields).length === 0) return `400 without field errors: ${answer.text.slice(0, 300)}`;
  if (leaf !== undefined && !Object.keys(fields).some((key) => key === leaf || leaf.startsWith(`${key}.`) || key.startsWith(`${leaf}.`) || (key === '' && leaf === ''))) {
    return `400 naming ${JSON.stringify(Object.keys(fields))}, not ${leaf}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------- values

const CONTROLS = [...Array.from({ length: 32 }, (_, i) => i).filter((c) => c !== 9 && c !== 10 && c !== 13), 0x7f, ...Array.from({ length: 32 }, (_, i) => 0x80 + i)].map((c) =>
  String.fromCharCode(c),
);
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const around = (inner: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 12 }), inner, fc.string({ maxLength: 12 })).map(([a, c, b]) => `${a}${c}${b}`);
const hostileText = fc.oneof(around(fc.constantFrom(...CONTROLS)), around(fc.constantFrom(...LONE_SURROGATES)), fc.constantFrom(...HOSTILE_TEXT, HUGE_TEXT));
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const hostileDay = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
  .filter((day) => !isSaneDay(day));
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const craftedCursor = fc.oneof(
  fc.constantFrom(...craftedCursors()),
  fc.jsonValue({ maxDepth: 3 }).map(b64),
  fc.tuple(fc.constantFrom('clients-name/1', 'clients-created/1', 'contracts/1', 'client-activities/1', 'client-timeline/1'), hostileText, fc.string()).map(b64),
);
const deepObject = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

/** Values the leaf must refuse: its kind's fixed hostile values (input-samples.ts) and generated ones. */
function hostileFor(leaf: Leaf): fc.Arbitrary<unknown> {
  const fixed = fc.constantFrom(...hostileValuesFor(leaf));
  switch (leaf.kind) {
    case 'number':
      return fc.oneof(
        fixed,
        fc.integer({ max: -1 }),
        fc.double({ min: 1e16, max: 1e300, noNaN: true }),
        fc.double({ min: 0.001, max: 1_000, noNaN: true }).filter((x) => !Number.isInteger(x)),
        fc.string({ maxLength: 6 }),
      );
    case 'boolean':
      return fc.oneof(fixed, fc.string({ maxLength: 6 }), fc.integer());
    case 'literal':
    case 'enum':
      return fc.oneof(fixed, hostileText);
    case 'cursor':
      return fc.oneof(fixed, craftedCursor);
    case 'day':
      return fc.oneof(fixed, hostileDay, hostileText);
    default:
      return fc.oneof(fixed, hostileText);
  }
}

// ---------------------------------------------------------------------------------- procedures

type Case = { what: string; input: unknown; leaf?: string };

function casesFor(procedure: ReturnType<typeof proceduresWithInput>[number]): fc.Arbitrary<Case> {
  const base = validInput(procedure);
  const leaves = leavesOf(procedure.schema);
  const objects = objectPaths(procedure.schema);
  const leafCase = fc
    .constantFrom(...leaves)
    .chain((leaf) => hostileFor(leaf).map((value) => ({ what: `${leaf.path.join('.')} = ${show(value)}`, input: setAt(base, leaf.path, value), leaf: leaf.path.join('.') })));
  const twoLeaves = fc
    .tuple(fc.constantFrom(...leaves), fc.constantFrom(...leaves))
    .chain(([a, b]) => fc.tuple(hostileFor(a), hostileFor(b)).map(([x, y]) => ({ what: `${a.path.join('.')}, ${b.path.join('.')}`, input: setAt(setAt(base, a.path, x), b.path, y) })));
  const extraKey = fc.tuple(fc.constantFrom(...objects), fc.constantFrom('tenantId', 'constructor', 'role', 'isAdmin'), fc.string({ minLength: 1, maxLength: 8 })).map(([path, key, junk]) => {
    const target = getAt(base, path) as Record<string, unknown> | undefined;
    const name = target && key in target ? `${key}_${junk}` : key;
    return { what: `extra key ${[...path, name].join('.')}`, input: setAt(base, path, { ...target, [name]: junk }) };
  });
  const whole = fc
    .oneof(
      fc.constant(null),
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
      fc.integer({ min: 50, max: procedure.type === 'query' ? 300 : 3_000 }).map(deepObject),
    )
    .map((input) => ({ what: `whole input ${show(input)}`, input }));
  return fc.oneof({ arbitrary: leafCase, weight: 6 }, { arbitrary: twoLeaves, weight: 1 }, { arbitrary: extraKey, weight: 1 }, { arbitrary: whole, weight: 1 });
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…(${text.length})` : text;
};

describe('hostile input, generated, through HTTP', () => {
  it('every procedure answers 4xx with field errors, never 5xx, and changes nothing', async () => {
    const before = await fingerprint(owner.tenantId);
    const procedures = proceduresWithInput().filter((p) => p.type !== 'subscription');
    expect(procedures.length).toBeGreaterThan(60);
    let calls = 0;
    for (const procedure of procedures) {
      const token = procedure.access === 'public' ? null : owner.token;
      await fc.assert(
        fc.asyncProperty(casesFor(procedure), async (c) => {
          calls++;
          const answer = await callProcedure(procedure.path, procedure.type, c.input, token);
          const wrong = wrongAnswer(answer, c.leaf);
          if (wrong) throw new Error(`${procedure.path} with ${c.what}: ${wrong}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_PROCEDURE, endOnFailure: true },
      );
    }
    expect(await fingerprint(owner.tenantId)).toEqual(before);
    console.info(`input fuzz: ${procedures.length} procedures, ${calls} calls`);
  }, 240_000);

  it('the procedure endpoint refuses bodies it cannot read: codings, forms, broken JSON', async () => {
    const before = await fingerprint(owner.tenantId);
    const mutations = proceduresWithInput().filter((p) => p.type === 'mutation');
    const body = fc.oneof(
      fc.constantFrom(...mutations).map((p) => ({ what: 'valid input', path: p.path, body: JSON.stringify(validInput(p)) })),
      fc.tuple(fc.constantFrom(...mutations), fc.string({ maxLength: 30 })).map(([p, text]) => ({ what: 'text', path: p.path, body: `{${text}` })),
    );
    const request = fc.oneof(
      fc.tuple(body, fc.constantFrom(...ENCODINGS)).map(([b, coding]) => ({ ...b, what: `${b.what}, ${coding}`, headers: { 'content-type': 'application/json', 'content-encoding': coding } })),
      body.map((b) => ({ ...b, what: `${b.what} as a form`, headers: FORM })),
      body.filter((b) => b.what === 'text').map((b) => ({ ...b, headers: { 'content-type': 'application/json' } })),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const answer = await send('POST', `/trpc/${r.path}`, { headers: { authorization: `Bearer ${owner.token}`, ...r.headers }, body: r.body });
        const wrong = wrongAnswer(answer);
        if (wrong) throw new Error(`${r.path} (${r.what}): ${wrong}`);
      }),
      { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    expect(await fingerprint(owner.tenantId)).toEqual(before);
  });

  it('every file route answers 4xx with field errors, never 5xx, and changes nothing', async () => {
    const before = await fingerprint(owner.tenantId);
    const auth = { authorization: `Bearer ${owner.token}` };
    const registered = registeredFileRoutes();
    expect(Object.keys(ROUTES).sort()).toEqual(registered.sort());
    let calls = 0;
    for (const [route, requests] of Object.entries(ROUTES)) {
      await fc.assert(
        fc.asyncProperty(requests(), async (request) => {
          calls++;
          const answer = await send(request.method, request.path, { headers: { ...auth, ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) });
          const wrong = wrongAnswer(answer);
          if (wrong) throw new Error(`${route} ${request.path.slice(0, 120)} (${request.what}): ${wrong}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    expect(await fingerprint(owner.tenantId)).toEqual(before);
    console.info(`input fuzz: ${Object.keys(ROUTES).length} file routes, ${calls} requests`);
  }, 240_000);
});

// ---------------------------------------------------------------------------------- file routes

interface RawRequest {
  what: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** The routes beside /trpc that the app registers (a new one fails the test until it is fuzzed here). */
function registeredFileRoutes(): string[] {
  const app = createApp({ services, log: pino({ level: 'silent' }), readiness: [], webOrigin: 'http://web.example.test', secureCookies: false });
  const stack = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack
    .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`) : []))
    // Operations endpoints without input (a bearer token at most): nothing for the fuzz to send.
    .filter((route) => !['GET /health', 'GET /ready', 'GET /metrics'].includes(route));
}

/** Percent-encoded text with a control character (a URL cannot carry lone surrogates: they become U+FFFD). */
const hostileParam = around(fc.constantFrom(...CONTROLS)).map((value) => encodeURIComponent(value));
const badPercent = fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%C0%80', '%FF%FE');
const hostileId = fc.oneof(
  fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', '01900000-0000-7000-8000-000000000001', '..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(3_000)),
  hostileParam,
  badPercent,
);
const UTF8 = (text: string) => new TextEncoder().encode(text);
const CSV = UTF8('Nom;Email\nDupont;dupont@example.test\n');
const RETURNS_CSV = UTF8('end_to_end_id;status;reason_code\nE2E-FUZZ-1;rejected;AM04\n');
const PDF = UTF8('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const ENCODINGS = ['compress', 'x-unknown', 'gzip', 'deflate', 'br', 'gzip, gzip', 'identity, x-unknown'];
const FORM = { 'content-type': 'multipart/form-data; boundary=----fuzz' };
const doc = (body: string) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">${body}</Document>`;
const HOSTILE_XML = [
  `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "l"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;"><!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]>${doc('<CstmrPmtStsRpt><GrpHdr><MsgId>&l3;</MsgId></GrpHdr></CstmrPmtStsRpt>')}`,
  `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${doc('<CstmrPmtStsRpt><GrpHdr><MsgId>&x;</MsgId></GrpHdr></CstmrPmtStsRpt>')}`,
  `<?xml version="1.0"?><!--${'c'.repeat(10_240)}--><!DOCTYPE d>${doc('')}`,
  `<?xml version="1.0"?>${doc(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`)}`,
  doc('<CstmrPmtStsRpt><GrpHdr><MsgId>M</MsgId></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>O</OrgnlMsgId></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><TxInfAndSts><OrgnlEndToEndId>E</OrgnlEndToEndId><TxSts>RJCT</TxSts><OrgnlTxRef><ReqdColltnDt>2026-02-30</ReqdColltnDt></OrgnlTxRef></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt>'),
  doc('<CstmrPmtStsRpt><GrpHdr><MsgId>M&#0;</MsgId></GrpHdr></CstmrPmtStsRpt>'),
  '<Document><Unclosed></Document>',
];
/** Bodies no upload takes: empty, binary. */
const binaryBytes = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Uint8Array.from([0, ...bytes])));
/** ...and bodies no bank return file may be. */
const hostileBytes = fc.oneof(
  binaryBytes,
  fc.constantFrom(...HOSTILE_XML).map(UTF8),
  fc.constantFrom('end_to_end_id;status;date\nE1;rejected;0000-01-01\n', 'end_to_end_id;status;date\nE1;settled;31/02/2026\n', 'pas un fichier').map(UTF8),
);
const oneOf = (...cases: fc.Arbitrary<RawRequest>[]) => fc.oneof(...cases);

/**
 * For each route, requests that each hold at least one hostile part (the rest valid), so none
 * of them may succeed.
 */
const ROUTES: Record<string, () => fc.Arbitrary<RawRequest>> = {
  'GET /exports/clients.csv': () => {
    const keys = ['search', 'status', 'tag', 'city', 'createdFrom', 'createdTo', 'salesRep', 'sort'];
    return oneOf(
      fc.tuple(fc.constantFrom(...keys), hostileParam).map(([key, value]) => ({ what: `${key} with a control character`, method: 'GET', path: `/exports/clients.csv?${key}=${value}` })),
      fc.tuple(fc.constantFrom('createdFrom', 'createdTo'), hostileDay).map(([key, day]) => ({ what: `${key}=${day}`, method: 'GET', path: `/exports/clients.csv?${key}=${day}` })),
      fc.constantFrom('status=nope', 'sort=random', 'salesRep=x', 'search=a&search=b', 'cursor=abc', 'limit=5', 'tenantId=x', `search=${'a'.repeat(101)}`).map((query) => ({ what: query.slice(0, 40), method: 'GET', path: `/exports/clients.csv?${query}` })),
    );
  },
  'POST /imports/clients': () =>
    oneOf(
      hostileParam.map((name) => ({ what: 'file name', method: 'POST', path: `/imports/clients?fileName=${name}`, headers: { 'content-type': 'text/csv' }, body: CSV })),
      binaryBytes.map((body) => ({ what: 'body', method: 'POST', path: '/imports/clients?fileName=clients.csv', headers: { 'content-type': 'text/csv' }, body })),
      fc.constantFrom(...ENCODINGS).map((encoding) => ({ what: `encoding ${encoding}`, method: 'POST', path: '/imports/clients?fileName=c.csv', headers: { 'content-encoding': encoding }, body: CSV })),
      fc.constant({ what: 'form', method: 'POST', path: '/imports/clients?fileName=c.csv', headers: FORM, body: UTF8('------fuzz\r\nContent-Disposition: form-data; name="f"\r\n\r\nNom\nX\r\n------fuzz--') }),
    ),
  'GET /batches/:id/file': () => hostileId.map((id) => ({ what: 'id', method: 'GET', path: `/batches/${id}/file` })),
  'POST /bank-returns': () =>
    oneOf(
      hostileParam.map((name) => ({ what: 'file name', method: 'POST', path: `/bank-returns?fileName=${name}`, body: RETURNS_CSV })),
      hostileBytes.map((body) => ({ what: 'body', method: 'POST', path: '/bank-returns?fileName=r.xml', body })),
      fc.constantFrom(...ENCODINGS).map((encoding) => ({ what: `encoding ${encoding}`, method: 'POST', path: '/bank-returns', headers: { 'content-encoding': encoding }, body: RETURNS_CSV })),
      fc.constant({ what: 'form', method: 'POST', path: '/bank-returns', headers: FORM, body: RETURNS_CSV }),
    ),
  'GET /calendar/:file': () =>
    oneOf(
      hostileId.map((id) => ({ what: 'token', method: 'GET', path: `/calendar/${id}.ics` })),
      fc.constantFrom(`${'01900000-0000-7000-8000-000000000001'}.${'s'.repeat(40)}.ics`, 'x.y.z.ics', '.ics', '%00.ics').map((file) => ({ what: file, method: 'GET', path: `/calendar/${file}` })),
    ),
  'POST /documents': () => {
    const upload = (what: string, query: string, headers: Record<string, string>, body: Uint8Array): RawRequest => ({
      what,
      method: 'POST',
      path: `/documents?${query}`,
      headers: { 'content-type': 'application/octet-stream', 'x-file-name': 'piece.pdf', ...headers },
      body,
    });
    return oneOf(
      hostileParam.map((name) => upload('file name', `clientId=${clientId}&kind=other`, { 'x-file-name': name }, PDF)),
      badPercent.map((name) => upload('file name encoding', `clientId=${clientId}&kind=other`, { 'x-file-name': name }, PDF)),
      fc.tuple(fc.constantFrom('clientId', 'contractId', 'kind'), fc.oneof(hostileParam, fc.constantFrom('not-a-uuid', 'signed_contract2'))).map(([key, value]) =>
        upload(`${key}`, `${key === 'clientId' ? '' : `clientId=${clientId}&`}kind=other&${key}=${value}`, {}, PDF),
      ),
      fc.constant(upload('contract of nobody', `contractId=01900000-0000-7000-8000-000000000001&kind=other`, {}, PDF)),
      hostileBytes.map((body) => upload('body', `clientId=${clientId}&kind=other`, {}, body)),
      fc.constantFrom(UTF8('MZ\x90\x00'), UTF8('%PDF-1.7\n<html><script>alert(1)</script>')).map((body) => upload('content', `contractId=${contractId}&kind=identity`, {}, body)),
      fc.constantFrom('text/html', 'multipart/form-data; boundary=x', '').map((type) => upload(`type ${type}`, `clientId=${clientId}&kind=other`, { 'content-type': type }, PDF)),
    );
  },
  'GET /documents/:id/download': () => hostileId.map((id) => ({ what: 'id', method: 'GET', path: `/documents/${id}/download` })),
  'GET /contracts/:id/pdf': () => hostileId.map((id) => ({ what: 'id', method: 'GET', path: `/contracts/${id}/pdf` })),
  'GET /contracts/:id/mandate.pdf': () => hostileId.map((id) => ({ what: 'id', method: 'GET', path: `/contracts/${id}/mandate.pdf` })),
};
