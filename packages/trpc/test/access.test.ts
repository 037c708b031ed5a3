import { describe, expect, it } from 'vitest';
import { procedureAccessList } from '../src/index.ts';

describe('procedure access', () => {
  // A change of who may call what shows here, in review. Update with `vitest -u` on purpose only.
  it('matches the reviewed list', async () => {
    await expect(procedureAccessList().join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/procedure-access.txt');
  });

  it('leaves public only what must be: health, sign-up and its link, password reset and its link, login, refresh, invitations by token, the mail catcher, signing by a mailed link', () => {
    const publicOnes = procedureAccessList()
      .filter((line) => / public$/.test(line))
      .map((line) => line.split(' ')[0]);
    expect(publicOnes).toEqual([
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
  });

  it('declares an access on every procedure', () => {
    expect(procedureAccessList().filter((line) => line.includes('MISSING'))).toEqual([]);
  });
});
