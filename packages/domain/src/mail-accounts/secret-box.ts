import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Tx } from '@crm/db';

// Envelope encryption of the mail accounts' secrets (refresh tokens, SMTP passwords):
// AES-256-GCM under a data key per tenant, the data key itself wrapped (AES-256-GCM) by a master
// key from the environment (MAIL_MASTER_KEY). Each ciphertext's associated data names its tenant,
// user and connection, so a ciphertext copied to another row, user or tenant fails to decrypt;
// the wrapped data key's names its tenant. Nothing here is ever logged.

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

/** One master key with its id (the first 16 hex digits of its sha256: which key wrapped a data key). */
export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The master key that wraps new data keys, and earlier ones still accepted for unwrapping (rotation). */
export interface MailKeyring {
  current: MasterKey;
  previous: readonly MasterKey[];
}

export class MailKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailKeyError';
  }
}

/** A master key from its text (base64 or base64url of 32 bytes). */
export function masterKeyFrom(text: string): MasterKey {
  const key = Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new MailKeyError('a mail master key is 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** The keyring from MAIL_MASTER_KEY and MAIL_MASTER_KEY_PREVIOUS (comma separated, may be empty). */
export function mailKeyringFrom(current: string, previous: string | undefined = undefined): MailKeyring {
  return {
    current: masterKeyFrom(current),
    previous: (previous ?? '').split(',').map((k) => k.trim()).filter(Boolean).map(masterKeyFrom),
  };
}

export const newMasterKeyText = (): string => randomBytes(32).toString('base64');

type Bytes = Uint8Array<ArrayBuffer>;

function seal(key: Buffer, plaintext: Buffer, aad: string): Bytes {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]));
}

function open(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT) throw new MailKeyError('not a sealed secret');
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    // The tag did not match: another key, another row's associated data, or altered bytes.
    throw new MailKeyError('the secret does not decrypt here (wrong key or moved from another row)');
  }
}

const dataKeyAad = (tenantId: string, version: number) => `crm-mail-data-key:v1:${tenantId}:${version}`;
const secretAad = (ref: SecretRef) => `crm-mail-secret:v1:${ref.tenantId}:${ref.userId}:${ref.connectionId}`;

/** Where a secret belongs: the associated data of its ciphertext. */
export interface SecretRef {
  tenantId: string;
  userId: string;
  connectionId: string;
}

export function wrapDataKey(keyring: MailKeyring, tenantId: string, version: number, dataKey: Buffer): { wrappedKey: Bytes; masterKeyId: string } {
  return { wrappedKey: seal(keyring.current.key, dataKey, dataKeyAad(tenantId, version)), masterKeyId: keyring.current.id };
}

export function unwrapDataKey(keyring: MailKeyring, row: { tenantId: string; version: number; wrappedKey: Uint8Array; masterKeyId: string }): Buffer {
  const master = [keyring.current, ...keyring.previous].find((k) => k.id === row.masterKeyId);
  if (!master) throw new MailKeyError(`the mail data key of this organisation is wrapped by master key ${row.masterKeyId}, which is not configured (MAIL_MASTER_KEY, MAIL_MASTER_KEY_PREVIOUS)`);
  return open(master.key, row.wrappedKey, dataKeyAad(row.tenantId, row.version));
}

export const sealSecret = (dataKey: Buffer, ref: SecretRef, secret: string): Bytes => seal(dataKey, Buffer.from(secret, 'utf8'), secretAad(ref));
export const openSecret = (dataKey: Buffer, ref: SecretRef, sealed: Uint8Array): string => open(dataKey, sealed, secretAad(ref)).toString('utf8');

/**
 * The tenant's data key, made (and stored wrapped) on first use. In the caller's tenant
 * transaction; two first uses at once: the unique tenant_id makes one of them fail, and its
 * request is retried by its caller.
 */
export async function tenantDataKey(tx: Tx, keyring: MailKeyring, tenantId: string): Promise<{ key: Buffer; version: number }> {
  const row = await tx.tenantMailKey.findUnique({ where: { tenantId } });
  if (row) return { key: unwrapDataKey(keyring, row), version: row.version };
  const key = randomBytes(32);
  await tx.tenantMailKey.create({ data: { tenantId, version: 1, ...wrapDataKey(keyring, tenantId, 1, key) } });
  return { key, version: 1 };
}

/** Encrypts a connection's secret with its tenant's data key. */
export async function encryptConnectionSecret(tx: Tx, keyring: MailKeyring, ref: SecretRef, secret: string): Promise<{ secret: Bytes; keyVersion: number }> {
  const dataKey = await tenantDataKey(tx, keyring, ref.tenantId);
  return { secret: sealSecret(dataKey.key, ref, secret), keyVersion: dataKey.version };
}

/** Decrypts a connection's secret: only for sending, never returned or logged. */
export async function decryptConnectionSecret(tx: Tx, keyring: MailKeyring, ref: SecretRef, sealed: Uint8Array): Promise<string> {
  const row = await tx.tenantMailKey.findUnique({ where: { tenantId: ref.tenantId } });
  if (!row) throw new MailKeyError('this organisation has no mail data key');
  return openSecret(unwrapDataKey(keyring, row), ref, sealed);
}
