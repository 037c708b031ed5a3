import { tracingConfig } from '@crm/db/tracing';
import { describe, expect, it } from 'vitest';
import { parseWorkerEnv } from '../../worker/src/env.ts';
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

  it('reads TRUST_PROXY as Express does, and refuses true with the reason', () => {
    const base = { DATABASE_URL: 'postgresql://x@h/d', JWT_SECRET: 'x'.repeat(32) };
    expect(parseEnv(base).TRUST_PROXY).toBe(false);
    expect(parseEnv({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,loopback,uniquelocal,fd00::/8,192.168.0.0/255.255.0.0' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8', '127.0.0.1', 'loopback', 'uniquelocal', 'fd00::/8', '192.168.0.0/255.255.0.0',
    ]);
    expect(() => parseEnv({ ...base, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust any client's X-Forwarded-For/);
    expect(() => parseEnv({ ...base, TRUST_PROXY: '10.0.0.0/33,proxy.local' })).toThrow(/TRUST_PROXY: .*10\.0\.0\.0\/33, proxy\.local/);
  });

  it('captures mail unless in production, or as MAIL_CAPTURE says', () => {
    const base = { DATABASE_URL: 'postgresql://x@h/d', JWT_SECRET: 'x'.repeat(32) };
    expect(parseEnv(base).MAIL_CAPTURE).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: 'test' }).MAIL_CAPTURE).toBe(true);
    expect(parseEnv({ ...base, NODE_ENV: 'production' }).MAIL_CAPTURE).toBe(false);
    expect(parseEnv({ ...base, NODE_ENV: 'production', MAIL_CAPTURE: 'true' }).MAIL_CAPTURE).toBe(true);
    expect(parseEnv({ ...base, MAIL_CAPTURE: 'false' }).MAIL_CAPTURE).toBe(false);
    expect(() => parseEnv({ ...base, MAIL_CAPTURE: 'yes' })).toThrow(/MAIL_CAPTURE: must be true or false/);
  });

  it('reads the OTEL_* variables: off when unset or empty, a bad endpoint named, service names per process', () => {
    const base = { DATABASE_URL: 'postgresql://x@h/d', JWT_SECRET: 'x'.repeat(32) };
    expect(tracingConfig(parseEnv(base))).toBeNull();
    expect(tracingConfig(parseEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: '' }))).toBeNull();
    expect(() => parseEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be the collector URL/);
    expect(() => parseEnv({ ...base, OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER: must be otlp or none/);
    expect(tracingConfig(parseEnv({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toEqual({ serviceName: 'crm-api', url: 'http://collector:4318/v1/traces', headers: {} });
    const worker = parseWorkerEnv({ DATABASE_URL: 'postgresql://x@h/d', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.test/v1/traces', OTEL_SERVICE_NAME: 'crm-worker-eu' });
    expect(tracingConfig(worker)).toEqual({ serviceName: 'crm-worker-eu', url: 'https://otlp.example.test/v1/traces', headers: {} });
    expect(tracingConfig(parseWorkerEnv({ DATABASE_URL: 'postgresql://x@h/d', OTEL_TRACES_EXPORTER: 'otlp' }))?.serviceName).toBe('crm-worker');
  });
});
