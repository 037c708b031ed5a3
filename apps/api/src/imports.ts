import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError, ImportFileInspector, MAX_IMPORT_BYTES, storeClientImport } from '@crm/domain';
import { resolveActorOnce, type CrmServices } from '@crm/trpc';
import type { Request, Response } from 'express';
import type { Logger } from './logger.ts';
import { answerError, asMember, assertPlainBody, bearerClaims } from './raw-route.ts';

/** Read size of the spooled file when it is copied into the import's slices. */
const SPOOL_READ_BYTES = 1024 * 1024;

/**
 * The request body streamed to a temporary file, inspected on the way (`ImportFileInspector`:
 * size against the limit, sha256, text checks, encoding, separator, header, rows). No
 * transaction is open meanwhile, however slow the client: the import's row and slices are
 * written afterwards, from the file, in one short transaction.
 */
async function spoolUpload(req: Request, maxBytes: number, file: string) {
  const inspector = new ImportFileInspector(maxBytes);
  await pipeline(
    req,
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        try {
          inspector.write(chunk);
          done(null, chunk);
        } catch (error) {
          done(error as Error);
        }
      },
    }),
    createWriteStream(file, { flags: 'wx', mode: 0o600 }),
  );
  return inspector.finish();
}

/**
 * POST /imports/clients?fileName=clients.csv with the file's raw bytes as the body (up to
 * `IMPORT_MAX_BYTES`, 100 MB by default, 413 past it): stores the file and answers what the
 * wizard shows next (encoding, separator, headers, suggested mapping, preview). Raw bytes rather
 * than JSON so the encoding is detected on what the user's spreadsheet wrote. Same token and
 * access check (`clients.import`) as the procedures, before a byte of the body is read; the
 * rest of the import goes through the `clientImports` procedures.
 */
export function clientImportUpload(services: CrmServices, log: Logger) {
  return async (req: Request, res: Response) => {
    let dir: string | undefined;
    try {
      const claims = await bearerClaims(services, req);
      const maxBytes = services.importMaxBytes ?? MAX_IMPORT_BYTES;
      await resolveActorOnce(services.db, claims, 'clients.import', res.locals.requestId as string);
      assertPlainBody(req);
      const declared = Number(req.header('content-length'));
      if (Number.isFinite(declared) && declared > maxBytes) throw new FileTooLargeError(maxBytes);
      dir = await mkdtemp(path.join(tmpdir(), 'crm-import-'));
      const file = path.join(dir, 'upload.csv');
      const inspected = await spoolUpload(req, maxBytes, file);
      const fileName = typeof req.query.fileName === 'string' ? req.query.fileName : 'import.csv';
      const result = await asMember(services, claims, res, 'clients.import', (deps) =>
        storeClientImport(deps, { fileName, inspected, content: createReadStream(file, { highWaterMark: SPOOL_READ_BYTES }) }),
        // Copying 100 MB from the local spool into the database: seconds, past the default 15 s on a busy machine.
        { timeoutMs: 5 * 60_000 },
      );
      res.status(201).json(result);
    } catch (error) {
      // A refusal before the body was read whole: the rest is not read, the connection closes.
      if (!req.complete) res.setHeader('connection', 'close');
      answerError(res, log, error, 'client import upload');
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };
}
