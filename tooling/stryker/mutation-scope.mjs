/**
 * What `pnpm mutation` mutates, in groups: each group's files and the fast, database-free tests
 * that cover them. A group is one Stryker run, so a mutant of a module-level table (a "static"
 * mutant, which no coverage can narrow down) runs its group's tests only, not every test here.
 * A file added to a group needs its tests in the same group.
 */
/** In every group: a module whose load-time table a mutant breaks throws on import; this test makes that a failing test. */
const LOADS = 'packages/domain/test/rule-modules-load.test.ts';

export const GROUPS = [
  {
    name: 'sepa-identifiers',
    // IBAN, BIC, creditor identifier (ICS: its check digits live in shared/identifiers.ts), mandate reference (RUM) and the SEPA character set.
    files: ['packages/domain/src/sepa/sepa-identifiers.ts', 'packages/domain/src/sepa/sepa-charset.ts', 'packages/domain/src/shared/identifiers.ts:92-118'],
    tests: [
      'packages/domain/src/shared/identifiers.test.ts',
      'packages/domain/test/iban-check-digits.test.ts',
      'packages/domain/test/iban-feedback.test.ts',
      'packages/domain/test/sepa-identifiers.test.ts',
      'packages/domain/test/sepa-file.test.ts',
      LOADS,
    ],
  },
  {
    name: 'sepa-file',
    // The pain.008 builder (layout, checks, XML writing) and its postal-address rule.
    files: [
      'packages/domain/src/sepa/sepa-direct-debit-file.ts',
      'packages/domain/src/sepa/sepa-debit-checks.ts',
      'packages/domain/src/sepa/sepa-xml-writer.ts',
      'packages/domain/src/sepa/sepa-direct-debit-types.ts',
      'packages/domain/src/sepa/sepa-address.ts',
    ],
    tests: ['packages/domain/test/sepa-file.test.ts', 'packages/domain/test/sepa-address.test.ts', 'packages/domain/test/sepa-file-rules.test.ts', LOADS],
  },
  {
    name: 'calendar',
    // French public holidays, TARGET2 closing days, business-day arithmetic, collection dates.
    files: ['packages/domain/src/calendar/business-days.ts'],
    tests: ['packages/domain/src/calendar/business-days.test.ts', 'packages/domain/test/business-days-rules.test.ts', LOADS],
  },
  {
    name: 'money-schedules',
    // VAT rounding, schedules and their proration.
    files: ['packages/domain/src/shared/money.ts', 'packages/domain/src/payments/schedule-rules.ts'],
    tests: ['packages/domain/test/money.test.ts', 'packages/domain/test/schedule-proration.test.ts', 'packages/domain/test/schedule-rules.test.ts', LOADS],
  },
  {
    name: 'bank-returns',
    // The return file parsers and the rules of what a line may change.
    files: [
      'packages/domain/src/sepa/bank-returns.ts',
      'packages/domain/src/sepa/bank-return-csv.ts',
      'packages/domain/src/sepa/bank-return-xml.ts',
      'packages/domain/src/sepa/bank-return-types.ts',
      'packages/domain/src/sepa/sepa-reason-codes.ts',
      'packages/domain/src/payments/bank-return-rules.ts',
    ],
    tests: ['packages/domain/test/sepa-returns.test.ts', 'packages/domain/test/bank-return-rules.test.ts', 'packages/domain/test/bank-return-parsing.test.ts', LOADS],
  },
  {
    name: 'csv-export',
    // The cells and lines of every CSV export (csv-cells.ts) and the client export's cells. Not
    // the paging generator below them (lines 26-45): it reads PostgreSQL page by page and is
    // tested there (client-export.test.ts, apps/api).
    files: ['packages/domain/src/shared/csv-cells.ts', 'packages/domain/src/clients/export-clients.ts:1-24'],
    tests: ['packages/domain/test/client-export-cells.test.ts'],
  },
  {
    name: 'permissions',
    files: ['packages/domain/src/access/permissions.ts'],
    tests: ['packages/domain/test/permissions.test.ts'],
  },
];
