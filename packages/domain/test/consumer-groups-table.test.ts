import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS, EVENT_HANDLERS } from '../src/index.ts';

// ARCHITECTURE.md keeps a table of the consumer groups and the events each handles; the code's
// registry is EVENT_HANDLERS. Either side changed alone fails here.

const ARCHITECTURE = path.resolve(import.meta.dirname, '..', '..', '..', 'ARCHITECTURE.md');

/** The rows of the table under "### Consumer groups": group -> events (sorted). */
function documentedGroups(markdown: string): Map<string, string[]> {
  const section = markdown.split(/^### Consumer groups$/m)[1];
  if (!section) throw new Error('ARCHITECTURE.md has no "### Consumer groups" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const groups = new Map<string, string[]>();
  for (const [, group, events] of rows) {
    if (!group) continue;
    if (groups.has(group)) throw new Error(`ARCHITECTURE.md lists the consumer group ${group} twice`);
    groups.set(group, (events ?? '').split(',').map((e) => e.trim()).filter(Boolean).sort());
  }
  return groups;
}

describe('the consumer groups table of ARCHITECTURE.md', () => {
  it('lists exactly the groups of the registry, each with exactly the events it handles', () => {
    const documented = documentedGroups(readFileSync(ARCHITECTURE, 'utf8'));
    const inCode = new Map(EVENT_HANDLERS.map((handler) => [handler.consumer, [...handler.types].sort()]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
    expect([...inCode.keys()].sort()).toEqual([...CONSUMER_GROUPS].sort());
  });

  it('notices a difference (the parser reads what it should)', () => {
    const table = '### Consumer groups\n\n| Consumer group | Events handled | What |\n| --- | --- | --- |\n| email | client.created, payment.rejected | x |\n';
    expect(Object.fromEntries(documentedGroups(table))).toEqual({ email: ['client.created', 'payment.rejected'] });
  });
});
