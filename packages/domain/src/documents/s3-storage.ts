import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertDocumentStorageKey, DocumentFileMissingError, type DocumentStorage } from './document-storage.ts';
import type { DocumentStorageEnv } from './storage-env.ts';

/**
 * Documents in an S3-compatible bucket (AWS S3, Scaleway, OVHcloud, MinIO...), through the
 * official client. A PUT is atomic on S3; keys are the same `<tenant>/<yyyy>/<mm>/<id>` as on disk.
 */
export class S3Storage implements DocumentStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: assertDocumentStorageKey(key), Body: bytes, ContentLength: bytes.byteLength, ContentType: 'application/octet-stream' }),
    );
  }

  async get(key: string): Promise<Readable> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertDocumentStorageKey(key) }));
      if (!object.Body) throw new DocumentFileMissingError(key);
      return object.Body as Readable; // in Node, the SDK's body is an IncomingMessage
    } catch (error) {
      if (error instanceof NoSuchKey) throw new DocumentFileMissingError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertDocumentStorageKey(key) }));
  }
}

/** The bucket and client DOCUMENTS_S3_* describe. */
export function s3StorageFromEnv(env: DocumentStorageEnv): S3Storage {
  const client = new S3Client({
    region: env.DOCUMENTS_S3_REGION,
    ...(env.DOCUMENTS_S3_ENDPOINT ? { endpoint: env.DOCUMENTS_S3_ENDPOINT } : {}),
    // S3-compatible services (MinIO above all) want bucket-in-path URLs; AWS itself takes either.
    forcePathStyle: env.DOCUMENTS_S3_FORCE_PATH_STYLE ?? Boolean(env.DOCUMENTS_S3_ENDPOINT),
    // The SDK's default CRC32 headers (x-amz-sdk-checksum-algorithm, x-amz-checksum-crc32) are
    // refused by some S3-compatible services (OVHcloud and Backblaze B2 are reported to): off an
    // AWS endpoint, checksums only where an operation requires one. A put stays covered by its
    // signed payload hash (x-amz-content-sha256, the document's sha256), which the store checks.
    ...(env.DOCUMENTS_S3_ENDPOINT ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    ...(env.DOCUMENTS_S3_ACCESS_KEY_ID && env.DOCUMENTS_S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.DOCUMENTS_S3_ACCESS_KEY_ID, secretAccessKey: env.DOCUMENTS_S3_SECRET_ACCESS_KEY } }
      : {}), // else the SDK's default chain (AWS_* variables, instance role)
  });
  return new S3Storage(client, env.DOCUMENTS_S3_BUCKET!);
}
