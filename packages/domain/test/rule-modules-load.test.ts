import { describe, expect, it } from 'vitest';

// Every rule module loads on its own. Several build tables when they load (the SEPA character
// set, the reason codes, number formats...): a wrong entry there throws at import, which fails
// every file importing the module before any of its tests runs. Imported here inside a test, so
// that such a failure is a failing test (mutation testing counts only those).

const MODULES = {
  'sepa/sepa-identifiers': () => import('../src/sepa/sepa-identifiers.ts'),
  'sepa/sepa-charset': () => import('../src/sepa/sepa-charset.ts'),
  'shared/identifiers': () => import('../src/shared/identifiers.ts'),
  'sepa/sepa-direct-debit-file': () => import('../src/sepa/sepa-direct-debit-file.ts'),
  'sepa/sepa-direct-debit-types': () => import('../src/sepa/sepa-direct-debit-types.ts'),
  'sepa/sepa-debit-checks': () => import('../src/sepa/sepa-debit-checks.ts'),
  'sepa/sepa-xml-writer': () => import('../src/sepa/sepa-xml-writer.ts'),
  'sepa/sepa-address': () => import('../src/sepa/sepa-address.ts'),
  'calendar/business-days': () => import('../src/calendar/business-days.ts'),
  'shared/money': () => import('../src/shared/money.ts'),
  'payments/schedule-rules': () => import('../src/payments/schedule-rules.ts'),
  'sepa/bank-returns': () => import('../src/sepa/bank-returns.ts'),
  'sepa/bank-return-csv': () => import('../src/sepa/bank-return-csv.ts'),
  'sepa/bank-return-xml': () => import('../src/sepa/bank-return-xml.ts'),
  'sepa/bank-return-types': () => import('../src/sepa/bank-return-types.ts'),
  'sepa/sepa-reason-codes': () => import('../src/sepa/sepa-reason-codes.ts'),
  'payments/bank-return-rules': () => import('../src/payments/bank-return-rules.ts'),
};

describe('the rule modules', () => {
  for (const [name, load] of Object.entries(MODULES)) {
    it(`${name} loads`, async () => {
      const module = await load();
      expect(Object.keys(module).length).toBeGreaterThan(0);
    });
  }
});
