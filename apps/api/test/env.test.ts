import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';

describe('the API environment', () => {
  it('says what is missing, one line per variable', () => {
    let message = '';
    try {
      parseEnv({});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid environment for the API:',
      expect.stringMatching(/^ {2}- DATABASE_URL: required/),
      expect.stringMatching(/^ {2}- JWT_SECRET: required/),
    ]);
  });

  it('refuses a short JWT secret and accepts the predecessor DB_* variables', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://x@h/d', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: must be at least 32/);
    const env = parseEnv({ DB_HOST: 'db.local', DB_USERNAME: 'crm_app', DB_PASSWORD: 'p@ss', DB_DATABASE: 'crm', JWT_SECRET: 'x'.repeat(32) });
    expect(env.DATABASE_URL).toBe('postgresql://crm_app:p%40ss@db.local:5432/crm');
    expect(env.PORT).toBe(3000);
  });
});
