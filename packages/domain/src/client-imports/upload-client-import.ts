import { auditAs } from '../audit/record-audit.ts';
import type { TenantDeps } from '../shared/context.ts';
import { badRequest, FileTooLargeError } from '../shared/errors.ts';
import { fileNameOf } from '../shared/input-rules.ts';
import { decodeCsv, detectDelimiter, MAX_IMPORT_BYTES } from './csv.ts';
import { suggestMapping } from './import-fields.ts';
import { readImportFile } from './plan-client-import.ts';

const PREVIEW_ROWS = 5;

/**
 * Stores an uploaded CSV file and tells what was found in it: encoding (UTF-8 or Windows-1252),
 * separator, headers, a suggested mapping and the first rows. Nothing is validated row by row
 * yet: that is the dry run, once the user has checked the mapping.
 */
export async function uploadClientImport({ tx, actor }: TenantDeps, input: { fileName: string; content: Uint8Array }) {
  if (input.content.length > MAX_IMPORT_BYTES) throw new FileTooLargeError(MAX_IMPORT_BYTES);
  const { text } = decodeCsv(input.content);
  const delimiter = detectDelimiter(text);
  const file = readImportFile(input.content, delimiter);
  if (file.headers.every((h) => h === '')) throw badRequest("Ligne d'en-tête vide", { file: ["Ligne d'en-tête vide"] });
  const fileName = fileNameOf(input.fileName, 'import.csv');
  const created = await tx.clientImport.create({
    data: {
      tenantId: actor.tenantId,
      createdBy: actor.userId,
      fileName,
      content: Buffer.from(input.content.buffer, input.content.byteOffset, input.content.byteLength) as Uint8Array<ArrayBuffer>,
      encoding: file.encoding,
      delimiter,
      totalRows: file.records.length,
    },
    select: { id: true },
  });
  await auditAs(tx, actor, { action: 'client_import.uploaded', entityType: 'client_import', entityId: created.id, data: { fileName, rows: file.records.length } });
  return {
    id: created.id,
    fileName,
    encoding: file.encoding,
    delimiter,
    headers: file.headers,
    suggestedMapping: suggestMapping(file.headers),
    preview: file.records.slice(0, PREVIEW_ROWS).map((r) => file.headers.map((_, i) => r.cells[i] ?? '')),
    totalRows: file.records.length,
  };
}
