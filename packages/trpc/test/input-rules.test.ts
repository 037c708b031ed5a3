import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { getAt, hostileValuesFor, leavesOf, objectPaths, proceduresWithInput, setAt, validInput } from './input-samples.ts';

// The input rules, proven on every procedure of the router rather than on examples: each leaf
// of each input schema (every string, date, id, number, flag, at any depth) refuses the values
// no caller may send, and the refusal names that leaf. A procedure added later is swept too.

const procedures = proceduresWithInput();
const issuesOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? null : result.error.issues.map((issue) => issue.path.map(String).join('.'));
};
const related = (issue: string, leaf: string) => issue === leaf || (issue !== '' && leaf.startsWith(`${issue}.`)) || issue.startsWith(`${leaf}.`);
const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value) : JSON.stringify(value));

describe('the input of every procedure', () => {
  it('has a valid sample derived from its schema (the base the sweeps mutate)', () => {
    expect(procedures.length).toBeGreaterThan(60);
    const invalid = procedures.flatMap((procedure) => {
      const issues = issuesOf(procedure.schema, validInput(procedure));
      return issues ? [`${procedure.path}: ${issues.join(', ')}`] : [];
    });
    expect(invalid).toEqual([]);
  });

  it('refuses control characters, NUL, lone surrogates, huge strings, impossible or far dates and wrong types at every leaf', () => {
    const accepted: string[] = [];
    const unnamed: string[] = [];
    let cases = 0;
    for (const procedure of procedures) {
      const base = validInput(procedure);
      for (const leaf of leavesOf(procedure.schema)) {
        const at = leaf.path.map(String).join('.');
        for (const hostile of hostileValuesFor(leaf)) {
          cases++;
          const issues = issuesOf(procedure.schema, setAt(base, leaf.path, hostile));
          if (!issues) accepted.push(`${procedure.path} ${at} = ${show(hostile)}`);
          // Rules across fields may add their own issue (an end before a start): the leaf must be named.
          else if (!issues.some((issue) => related(issue, at))) unnamed.push(`${procedure.path} ${at} = ${show(hostile)}: ${issues.join(', ')}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(cases).toBeGreaterThan(3_000);
  });

  it('refuses an unknown key at every level, a tenant id first', () => {
    const accepted: string[] = [];
    for (const procedure of procedures) {
      const base = validInput(procedure);
      for (const path of objectPaths(procedure.schema)) {
        for (const key of ['tenantId', 'constructor', 'extra']) {
          const target = getAt(base, path) as Record<string, unknown> | undefined;
          const issues = issuesOf(procedure.schema, setAt(base, path, { ...target, [key]: 'x' }));
          if (!issues) accepted.push(`${procedure.path} ${[...path, key].join('.')}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses an input of the wrong shape altogether', () => {
    const accepted: string[] = [];
    for (const procedure of procedures) {
      for (const input of [null, 'x', 42, [], [validInput(procedure)], true]) {
        if (!issuesOf(procedure.schema, input)) accepted.push(`${procedure.path} ${JSON.stringify(input)}`);
      }
    }
    expect(accepted).toEqual([]);
  });
});
