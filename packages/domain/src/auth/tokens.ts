import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { AuthConfig } from '../shared/context.ts';
import { unauthorized } from '../shared/errors.ts';

export type { AuthConfig };

export const DEFAULT_AUTH_TTLS = {
  accessTokenTtlSeconds: 10 * 60,
  refreshTokenTtlDays: 30,
  invitationTtlDays: 7,
  emailVerificationTtlHours: 24,
} as const;

/** What a verified access token says. The tenant is only ever read from here. */
export interface AccessClaims {
  userId: string;
  /** The active organisation, or null for a user who belongs to none. */
  tenantId: string | null;
  /** The refresh-token family (the login session) the token was issued under. */
  sessionId: string;
}

const ALGORITHM = 'HS256';

// The secret imported once as a WebCrypto key: given raw bytes, jose imports them again on every
// call, which costs more than the HMAC itself (about 60 µs of 150 per verification here).
const keys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(config: AuthConfig, claims: AccessClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ tid: claims.tenantId, sid: claims.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.accessTokenTtlSeconds)
    .sign(await hmacKey(config.secret));
}

/**
 * Verifies signature, algorithm (pinned: `alg: none` or any other is refused), issuer,
 * audience and expiry. Every failure is the same UNAUTHORIZED: the caller learns nothing
 * about which check failed.
 */
export async function verifyAccessToken(config: AuthConfig, token: string, now: Date): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(config.secret), {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: now,
    });
    const tenantId = payload.tid;
    const sessionId = payload.sid;
    if (typeof payload.sub !== 'string' || typeof sessionId !== 'string') throw unauthorized('Jeton invalide');
    if (tenantId !== null && typeof tenantId !== 'string') throw unauthorized('Jeton invalide');
    return { userId: payload.sub, tenantId, sessionId };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthorized('Session expirée');
    throw unauthorized('Jeton invalide');
  }
}

/** An opaque secret for refresh tokens and invitations, and the hash we store instead. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
