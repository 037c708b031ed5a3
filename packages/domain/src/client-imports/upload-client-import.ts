import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest } from '../shared/errors.ts';
import { fileNameOf } from '../shared/input-rules.ts';
import { MAX_IMPORT_BYTES } from '../shared/csv.ts';
import { inspectImportFile, type InspectedImportFile } from './import-file.ts';
import { writeImportFile } from './import-file-store.ts';
import { clientScopeSetting } from '../shared/view-scope.ts';
import { suggestMapping } from './import-fields.ts';

/**
 * Stores an uploaded CSV file, already inspected as it streamed in (`ImportFileInspector`:
 * encoding, separator, headers, rows), and tells the wizard what was found: a suggested mapping
 * and the first rows. The bytes are copied into the import's slices from `content`, a stream
 * (the API's spooled upload), never as one buffer. Nothing is validated row by row yet: that is
 * the dry run, once the user has checked the mapping.
 */
export async function storeClientImport(
  { tx, actor }: TenantDeps,
  input: { fileName: string; inspected: InspectedImportFile; content: AsyncIterable<Uint8Array> | Iterable<Uint8Array> },
) {
  const { inspected } = input;
  if (inspected.headers.every((h) => h === '')) throw badRequest("Ligne d'en-tête vide", { file: ["Ligne d'en-tête vide"] });
  const fileName = fileNameOf(input.fileName, 'import.csv');
  const created = await tx.clientImport.create({
    data: {
      tenantId: actor.tenantId,
      createdBy: actor.userId,
      clientScope: await clientScopeSetting(tx),
      fileName,
      sizeBytes: inspected.sizeBytes,
      sha256: inspected.sha256,
      encoding: inspected.encoding,
      delimiter: inspected.delimiter,
      totalRows: inspected.totalRows,
    },
    select: { id: true },
  });
  await writeImportFile(tx, actor.tenantId, created.id, input.content);
  await auditAs(tx, actor, { action: 'client_import.uploaded', entityType: 'client_import', entityId: created.id, data: { fileName, rows: inspected.totalRows, bytes: inspected.sizeBytes } });
  return {
    id: created.id,
    fileName,
    encoding: inspected.encoding,
    delimiter: inspected.delimiter,
    headers: inspected.headers,
    suggestedMapping: suggestMapping(inspected.headers),
    preview: inspected.preview,
    totalRows: inspected.totalRows,
  };
}

/** Inspects and stores a file held in memory (small files: tests, the demo seed). */
export async function uploadClientImport(deps: TenantDeps, input: { fileName: string; content: Uint8Array; maxBytes?: number }) {
  const inspected = await inspectImportFile([input.content], input.maxBytes ?? MAX_IMPORT_BYTES);
  return storeClientImport(deps, { fileName: input.fileName, inspected, content: [input.content] });
}
