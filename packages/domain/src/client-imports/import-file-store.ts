import type { Tx } from '@crm/db';

/**
 * Import files live in PostgreSQL, in slices of `client_import_chunks` (1 MB each): in the
 * tenant's transactions and under its row-level security like the import itself, reachable by
 * the worker without shared disk or object store, and read back one slice at a time so a
 * 100 MB file is never one value in memory (a bytea of the whole file was read as one string).
 */
export const IMPORT_SLICE_BYTES = 1024 * 1024;

/** Regroups a stream of chunks of any size into slices of `size` bytes (the last one shorter). */
export async function* slices(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, size = IMPORT_SLICE_BYTES): AsyncGenerator<Buffer> {
  let parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    let rest = chunk;
    while (length + rest.length >= size) {
      const take = size - length;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts, size);
      rest = rest.subarray(take);
      parts = [];
      length = 0;
    }
    if (rest.length > 0) {
      // Copied: the caller's buffer may be reused for its next chunk.
      parts.push(Uint8Array.from(rest));
      length += rest.length;
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}

/** Writes a file's bytes under its import, slice after slice (base64: Prisma's bytea conversion is slower). */
export async function writeImportFile(tx: Tx, tenantId: string, importId: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
  let seq = 0;
  for await (const slice of slices(chunks)) {
    await tx.$executeRaw`INSERT INTO client_import_chunks (tenant_id, import_id, seq, bytes) VALUES (${tenantId}::uuid, ${importId}::uuid, ${seq}, decode(${slice.toString('base64')}, 'base64'))`;
    seq++;
  }
  return seq;
}

/**
 * A stored file's bytes, slice after slice, in the caller's transaction. The next slice is
 * asked for as soon as one is handed out: on a connection that also writes (the import run),
 * the read waits behind the statement in flight instead of stopping the reader when it needs it.
 */
export async function* readImportFile(tx: Tx, tenantId: string, importId: string, timed: <T>(p: Promise<T>) => Promise<T> = (p) => p): AsyncGenerator<Buffer> {
  const read = (seq: number) =>
    timed(
      tx.$queryRaw<{ bytes: string }[]>`
        SELECT encode(bytes, 'base64') AS bytes FROM client_import_chunks
        WHERE tenant_id = ${tenantId}::uuid AND import_id = ${importId}::uuid AND seq = ${seq}`,
    ).then((rows) => (rows[0] ? Buffer.from(rows[0].bytes, 'base64') : null));
  let next = read(0);
  for (let seq = 1; ; seq++) {
    const slice = await next;
    if (!slice) return;
    next = read(seq);
    next.catch(() => undefined); // awaited on the next turn
    yield slice;
  }
}
