import { PDFArray, type PDFDocument, PDFHexString, PDFName, type PDFRef, PDFString } from 'pdf-lib';
import { escapeXml } from './xml-builder.ts';

/**
 * The PDF/A-3b plumbing of invoice PDFs (ISO 19005-3) and of Factur-X (PDF/A-3 with the CII as
 * `factur-x.xml`): the sRGB output intent, the XMP metadata matching the Info dictionary, the
 * embedded XML as an associated file, a fixed trailer ID. Nothing reads a clock.
 */

/** Big-endian writer for the ICC profile. */
class Bytes {
  private readonly parts: number[] = [];
  u8(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value >>> 8).u8(value);
  }
  u32(value: number): this {
    return this.u16(value >>> 16).u16(value & 0xffff);
  }
  ascii(value: string): this {
    for (const char of value) this.u8(char.charCodeAt(0));
    return this;
  }
  s15f16(value: number): this {
    return this.u32(Math.round(value * 65536) >>> 0);
  }
  pad4(): this {
    while (this.parts.length % 4) this.u8(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const xyzTag = (x: number, y: number, z: number): Uint8Array => new Bytes().ascii('XYZ ').u32(0).s15f16(x).s15f16(y).s15f16(z).bytes();

function textDescriptionTag(text: string): Uint8Array {
  // ICC v2 textDescriptionType: ASCII part, empty Unicode part, empty ScriptCode part (67 bytes).
  const tag = new Bytes().ascii('desc').u32(0).u32(text.length + 1).ascii(text).u8(0).u32(0).u32(0).u16(0).u8(0);
  for (let i = 0; i < 67; i++) tag.u8(0);
  return tag.bytes();
}

function srgbCurveTag(): Uint8Array {
  // The IEC 61966-2-1 transfer function as a 1024-entry table (ICC v2 has no parametric curve).
  const tag = new Bytes().ascii('curv').u32(0).u32(1024);
  for (let i = 0; i < 1024; i++) {
    const v = i / 1023;
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    tag.u16(Math.round(linear * 65535));
  }
  return tag.bytes();
}

let srgbProfile: Uint8Array | null = null;

/**
 * A display-class sRGB ICC v2 profile (matrix/TRC), built here rather than shipped: the primaries
 * are sRGB's, chromatically adapted to D50 (Bradford) as ICC requires. Deterministic bytes.
 */
export function srgbIccProfile(): Uint8Array {
  if (srgbProfile) return srgbProfile;
  const curve = srgbCurveTag();
  const tags: [string, Uint8Array][] = [
    ['desc', textDescriptionTag('sRGB IEC61966-2.1')],
    ['cprt', new Bytes().ascii('text').u32(0).ascii('No copyright, use freely').u8(0).bytes()],
    ['wtpt', xyzTag(0.9642, 1.0, 0.8249)],
    ['rXYZ', xyzTag(0.4360747, 0.2225045, 0.0139322)],
    ['gXYZ', xyzTag(0.3850649, 0.7168786, 0.0971045)],
    ['bXYZ', xyzTag(0.1430804, 0.0606169, 0.7141733)],
    ['rTRC', curve],
    ['gTRC', curve],
    ['bTRC', curve],
  ];
  const tableSize = 4 + tags.length * 12;
  let offset = 128 + tableSize;
  const table = new Bytes().u32(tags.length);
  const data = new Bytes();
  let curveOffset = -1;
  for (const [signature, bytes] of tags) {
    // The three TRC tags share one curve (allowed: same offset and size).
    const shared = bytes === curve && curveOffset >= 0;
    const at = shared ? curveOffset : offset;
    table.ascii(signature).u32(at).u32(bytes.length);
    if (!shared) {
      if (bytes === curve) curveOffset = offset;
      for (const byte of bytes) data.u8(byte);
      data.pad4();
      offset = 128 + tableSize + data.length;
    }
  }
  const size = 128 + tableSize + data.length;
  const header = new Bytes()
    .u32(size)
    .u32(0) // preferred CMM
    .u32(0x02100000) // version 2.1
    .ascii('mntr')
    .ascii('RGB ')
    .ascii('XYZ ')
    .u16(2000).u16(1).u16(1).u16(0).u16(0).u16(0) // creation date, fixed
    .ascii('acsp')
    .u32(0).u32(0).u32(0).u32(0) // platform, flags, manufacturer, model
    .u32(0).u32(0) // attributes
    .u32(0) // perceptual
    .s15f16(0.9642).s15f16(1.0).s15f16(0.8249) // PCS illuminant D50
    .u32(0); // creator
  while (header.length < 128) header.u8(0);
  const profile = new Uint8Array(size);
  profile.set(header.bytes(), 0);
  profile.set(table.bytes(), 128);
  profile.set(data.bytes(), 128 + tableSize);
  srgbProfile = profile;
  return profile;
}

export interface PdfaMetadata {
  title: string;
  author: string;
  subject: string;
  creator: string;
  producer: string;
  /** Creation and modification date (the document's own date, never "now"): `YYYY-MM-DD`. */
  date: string;
  /** 32 hex digits: the trailer ID and the XMP document ID. */
  documentId: string;
  /** When set, the Factur-X extension schema and properties are added. */
  facturX: { documentType: 'INVOICE'; fileName: string; version: string; conformanceLevel: string } | null;
}

const FX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';

function facturXSchema(fx: NonNullable<PdfaMetadata['facturX']>): string {
  const property = (name: string, description: string): string => `
              <rdf:li rdf:parseType="Resource">
                <pdfaProperty:name>${name}</pdfaProperty:name>
                <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                <pdfaProperty:category>external</pdfaProperty:category>
                <pdfaProperty:description>${description}</pdfaProperty:description>
              </rdf:li>`;
  return `
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FX_NS}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property('DocumentFileName', 'The name of the embedded XML document')}${property('DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER')}${property('Version', 'The actual version of the standard applying to the embedded XML document')}${property('ConformanceLevel', 'The conformance level of the embedded XML document')}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="${FX_NS}">
      <fx:DocumentType>${fx.documentType}</fx:DocumentType>
      <fx:DocumentFileName>${escapeXml(fx.fileName)}</fx:DocumentFileName>
      <fx:Version>${escapeXml(fx.version)}</fx:Version>
      <fx:ConformanceLevel>${escapeXml(fx.conformanceLevel)}</fx:ConformanceLevel>
    </rdf:Description>`;
}

/** The XMP packet: PDF/A identification, the Dublin Core and PDF properties the Info dictionary repeats. */
export function xmpPacket(meta: PdfaMetadata): string {
  const instant = `${meta.date}T00:00:00Z`;
  const uuid = meta.documentId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>${escapeXml(meta.author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.subject)}</rdf:li></rdf:Alt></dc:description>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${escapeXml(meta.creator)}</xmp:CreatorTool>
      <xmp:CreateDate>${instant}</xmp:CreateDate>
      <xmp:ModifyDate>${instant}</xmp:ModifyDate>
      <xmp:MetadataDate>${instant}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${escapeXml(meta.producer)}</pdf:Producer>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
      <xmpMM:DocumentID>uuid:${uuid}</xmpMM:DocumentID>
    </rdf:Description>${meta.facturX ? facturXSchema(meta.facturX) : ''}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

const utcDay = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** Info dictionary, XMP, sRGB output intent and trailer ID: what makes the file PDF/A-3b. */
export function applyPdfa(pdf: PDFDocument, meta: PdfaMetadata): void {
  const { context, catalog } = pdf;
  pdf.setTitle(meta.title);
  pdf.setAuthor(meta.author);
  pdf.setSubject(meta.subject);
  pdf.setCreator(meta.creator);
  pdf.setProducer(meta.producer);
  pdf.setCreationDate(utcDay(meta.date));
  pdf.setModificationDate(utcDay(meta.date));
  pdf.setLanguage('fr-FR');

  // PDF/A-1 forbade a filter on the metadata stream; kept plain so any reader finds the XMP.
  const xmp = context.stream(new TextEncoder().encode(xmpPacket(meta)), { Type: 'Metadata', Subtype: 'XML' });
  catalog.set(PDFName.of('Metadata'), context.register(xmp));

  const icc = context.flateStream(srgbIccProfile(), { N: 3 });
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: context.register(icc),
  });
  catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(intent)]));

  const id = PDFHexString.of(meta.documentId.toUpperCase());
  context.trailerInfo.ID = context.obj([id, id]);
}

/**
 * Attaches an XML file as a PDF/A-3 associated file: embedded file stream with its MIME subtype
 * and dates, a file specification with AFRelationship, listed in the EmbeddedFiles name tree and
 * in the catalog's /AF array (Factur-X 1.0: `factur-x.xml`, relationship Data for EN 16931).
 */
export function attachAssociatedXml(
  pdf: PDFDocument,
  file: { name: string; bytes: Uint8Array; description: string; date: string; relationship: 'Data' | 'Alternative' | 'Source' },
): PDFRef {
  const { context, catalog } = pdf;
  const date = PDFString.fromDate(utcDay(file.date));
  const stream = context.flateStream(file.bytes, {
    Type: 'EmbeddedFile',
    Subtype: 'text/xml',
    Params: { Size: file.bytes.length, CreationDate: date, ModDate: date },
  });
  const streamRef = context.register(stream);
  const spec = context.obj({
    Type: 'Filespec',
    F: PDFString.of(file.name),
    UF: PDFHexString.fromText(file.name),
    EF: { F: streamRef, UF: streamRef },
    Desc: PDFString.of(file.description),
    AFRelationship: file.relationship,
  });
  const specRef = context.register(spec);
  const names = context.obj({ EmbeddedFiles: { Names: [PDFString.of(file.name), specRef] } });
  catalog.set(PDFName.of('Names'), context.register(names));
  const af = PDFArray.withContext(context);
  af.push(specRef);
  catalog.set(PDFName.of('AF'), af);
  return specRef;
}
