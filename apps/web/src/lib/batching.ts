// What the API accepts in one batched request (packages/trpc/src/batch-rules.ts): at most
// MAX_BATCH_SIZE calls, and no public procedure beside another call. apps/api/test/auth-abuse.test.ts
// checks this list against the server's public procedures, so a new one cannot be forgotten here.

export const MAX_BATCH_ITEMS = 10;

/** The public procedures: each is sent as a request of its own. */
export const UNBATCHED_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.logIn',
  'auth.refresh',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.signUp',
  'auth.verifyEmail',
  'capturedMails.enabled',
  'capturedMails.list',
  'health.ping',
  'invitations.accept',
  'invitations.preview',
  'signing.get',
  'signing.sign',
]);
