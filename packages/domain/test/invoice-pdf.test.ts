import { createHash } from 'node:crypto';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFRef, type PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { invoiceArtefacts } from '../src/invoices/invoice-artefacts.ts';
import { buildInvoiceCii } from '../src/invoices/invoice-cii.ts';
import { frenchEur, renderInvoicePdf } from '../src/invoices/invoice-pdf.ts';
import { srgbIccProfile } from '../src/invoices/pdfa.ts';
import { B2B_CREDIT_NOTE, B2B_MIXED, B2C_INSURANCE, B2C_STANDARD, invoiceDocument } from './invoice-document-fixtures.ts';
import { pdfUnicodePages, pdfUnicodeText } from './pdf-unicode-text.ts';

// What the invoice PDF shows (read back through the fonts' ToUnicode maps, as a reader would),
// and what makes it a PDF/A-3b / Factur-X: embedded fonts, XMP, output intent, the attached XML.

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The attached files: name, bytes, and the file specification (for AFRelationship and /AF). */
async function attachments(bytes: Uint8Array): Promise<{ name: string; bytes: Uint8Array; spec: PDFDict; inAf: boolean }[]> {
  const doc = await PDFDocument.load(bytes);
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = names?.lookupMaybe(PDFName.of('Names'), PDFArray)?.asArray() ?? [];
  const af = doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray)?.asArray() ?? [];
  const files = [];
  for (let i = 0; i < list.length; i += 2) {
    const specRef = list[i + 1] as PDFRef;
    const spec = doc.context.lookup(specRef, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream;
    files.push({
      name: (list[i] as PDFString).decodeText(),
      bytes: decodePDFRawStream(stream).decode(),
      spec,
      inAf: af.some((entry) => entry === specRef),
    });
  }
  return files;
}

describe('renderInvoicePdf: Factur-X (business buyer)', async () => {
  const xml = buildInvoiceCii(B2B_MIXED);
  const pdf = await renderInvoicePdf(B2B_MIXED, { ciiXml: xml });
  const raw = latin1(pdf);

  it('attaches factur-x.xml, byte for byte the CII, as an associated file (/AF, Data, text/xml)', async () => {
    const files = await attachments(pdf);
    expect(files.map((file) => file.name)).toEqual(['factur-x.xml']);
    expect(Buffer.from(files[0]!.bytes).equals(Buffer.from(xml, 'utf8'))).toBe(true);
    expect(files[0]!.inAf).toBe(true);
    expect(files[0]!.spec.get(PDFName.of('AFRelationship'))).toBe(PDFName.of('Data'));
    expect(raw).toMatch(/\/Subtype \/text#2Fxml/);
    expect(raw).toMatch(/\/ModDate \(D:20261215000000Z\)/);
  });

  it('embeds its fonts: DejaVu subsets with their font files, none of the standard 14', async () => {
    expect(raw).not.toMatch(/\/BaseFont\s*\/(Helvetica|Times|Courier|Symbol|ZapfDingbats)/);
    const doc = await PDFDocument.load(pdf);
    const fonts = doc.getPages().flatMap((page) => {
      const dict = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
      return dict.entries().map(([, ref]) => doc.context.lookup(ref, PDFDict));
    });
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const font of fonts) {
      expect(font.get(PDFName.of('BaseFont'))?.toString()).toMatch(/^\/[A-Z]{6}\+DejaVuSans/);
      const descendant = font.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
      expect(descendant.lookup(PDFName.of('FontDescriptor'), PDFDict).get(PDFName.of('FontFile2'))).toBeInstanceOf(PDFRef);
    }
  });

  it('carries the PDF/A-3b and Factur-X XMP, an sRGB output intent and a trailer ID', () => {
    for (const fragment of [
      '<pdfaid:part>3</pdfaid:part>',
      '<pdfaid:conformance>B</pdfaid:conformance>',
      '<fx:DocumentType>INVOICE</fx:DocumentType>',
      '<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>',
      '<fx:Version>1.0</fx:Version>',
      '<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>',
      '<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>',
      '<xmp:CreateDate>2026-12-15T00:00:00Z</xmp:CreateDate>',
      '/Type /Metadata',
      '/S /GTS_PDFA1',
      '/DestOutputProfile',
    ]) {
      expect(raw).toContain(fragment);
    }
    expect(raw).toMatch(/\/ID \[ <[0-9A-F]{32}> <[0-9A-F]{32}> \]/);
    expect(raw).toContain('/CreationDate (D:20261215000000Z)');
    const icc = srgbIccProfile();
    expect(new DataView(icc.buffer).getUint32(0)).toBe(icc.length);
    expect(latin1(icc.subarray(36, 40))).toBe('acsp');
    expect(latin1(icc.subarray(12, 20))).toBe('mntrRGB ');
  });

  it('is deterministic: the same snapshot gives the same bytes', async () => {
    const again = await renderInvoicePdf(structuredClone(B2B_MIXED), { ciiXml: buildInvoiceCii(structuredClone(B2B_MIXED)) });
    expect(createHash('sha256').update(again).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('shows the mentions a business invoice needs (CGI 242 nonies A, L441-9/10) and the SEPA pre-notification', async () => {
    const text = await pdfUnicodeText(pdf);
    for (const fragment of [
      'FACTURE',
      'FE-2027-000007',
      "Date d'émission",
      '15/12/2026',
      "Date d'échéance",
      '14/01/2027',
      'Période facturée : du 01/01/2027 au 31/03/2027',
      'Bon de commande n° BC-2026-118',
      'Boulangerie Martin & Fils SARL',
      'SIREN 552 100 554',
      'Audit des contrats <flotte> — journée',
      'du 01/01/2027 au 31/01/2027',
      '5,5 %',
      '20 %',
      'Total HT 1 785,99 €',
      'Total TVA 344,87 €',
      'Net à payer 2 130,86 €',
      'Référence unique du mandat (RUM) : RUM-ARC-2026-0040',
      'Identifiant créancier SEPA (ICS) : FR72ZZZ123456',
      'Compte débité : FR76 •••• 7702',
      'Date de prélèvement : 14 janvier 2027',
      'vaut pré-notification',
      'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €',
      'Pénalités de retard',
      "Pas d'escompte",
      "Catégorie de l'opération : livraison de biens et prestation de services.",
      "Option pour le paiement de la taxe d'après les débits",
      'Assurances Rhône Conseil SAS au capital de 50 000,00 €',
      'RCS Lyon 732 829 320',
      'TVA intracommunautaire FR44732829320',
    ]) {
      expect(text).toContain(fragment);
    }
    // Stated once, not twice (a TXD note already says it).
    expect(text.split("d'après les débits")).toHaveLength(2);
  });
});

describe('renderInvoicePdf: consumer invoices and credit notes', () => {
  it('a consumer invoice: PDF/A-3b without XML, exemption mention, no B2B mention', async () => {
    const pdf = await renderInvoicePdf(B2C_INSURANCE);
    const raw = latin1(pdf);
    expect(await attachments(pdf)).toEqual([]);
    expect(raw).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(raw).not.toContain('fx:DocumentType');
    const text = await pdfUnicodeText(pdf);
    for (const fragment of ['Exonération de TVA, article 261 C du CGI', 'Exonéré', 'Mme Élodie Lefèvre-Dupré', 'RUM-ARC-2026-0031', 'FR72ZZZ123456', 'Net à payer 39,90 €']) {
      expect(text).toContain(fragment);
    }
    for (const b2b of ['frais de recouvrement', 'Pénalités', 'escompte', "Catégorie de l'opération", 'débits']) expect(text).not.toContain(b2b);
  });

  it('never prints B2B notes on a consumer invoice, even when the snapshot carries them', async () => {
    const b2bNotes = B2B_MIXED.notes.filter((note) => ['PMT', 'PMD', 'AAB'].includes(note.subjectCode));
    const doc = { ...B2C_STANDARD, notes: b2bNotes, seller: { ...B2C_STANDARD.seller, vatOnDebits: true } };
    const text = await pdfUnicodeText(await renderInvoicePdf(doc));
    for (const b2b of ['frais de recouvrement', 'Pénalités', 'escompte', "Catégorie de l'opération", 'débits']) expect(text).not.toContain(b2b);
  });

  it('a credit note is titled "Avoir" and names the invoice it corrects', async () => {
    const text = await pdfUnicodeText(await renderInvoicePdf(B2B_CREDIT_NOTE, { ciiXml: buildInvoiceCii(B2B_CREDIT_NOTE) }));
    expect(text).toContain('AVOIR');
    expect(text).toContain('Avoir se rapportant à la facture n° FE-2027-000007 du 15/12/2026.');
    expect(text).toContain("Montant de l'avoir 750,60 €");
    expect(text).not.toContain('Net à payer');
  });

  it('a long invoice flows onto numbered pages, each with the seller legal line', async () => {
    const { lines: _lines, vatBreakdown: _vat, totals: _totals, ...base } = B2B_MIXED;
    const lines = Array.from({ length: 60 }, (_, i) => ({
      label: `Prestation ${i + 1} avec un libellé assez long pour passer à la ligne dans sa colonne`,
      quantity: 1,
      unitPriceCents: 1_000 + i,
      vatCategory: 'S' as const,
      vatRateBasisPoints: 2000,
      period: null,
    }));
    const pages = await pdfUnicodePages(await renderInvoicePdf(invoiceDocument(base, lines)));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page.join(' ')).toContain(`page ${index + 1}/${pages.length}`);
      expect(page.join(' ')).toContain('RCS Lyon');
    });
    expect(pages.flat().join(' ')).toContain('Prestation 60 avec');
  });

  it('formats euros the French way', () => {
    expect([frenchEur(0), frenchEur(5), frenchEur(123_456_789), frenchEur(-1_050)]).toEqual(['0,00\u00a0€', '0,05\u00a0€', '1\u00a0234\u00a0567,89\u00a0€', '-10,50\u00a0€']);
  });
});

describe('invoiceArtefacts', () => {
  it('a business document: JSON snapshot, Factur-X PDF and its CII, each with its sha256', async () => {
    const artefacts = await invoiceArtefacts(B2B_MIXED);
    expect(artefacts.map((a) => [a.kind, a.fileName, a.mimeType])).toEqual([
      ['json', 'FE-2027-000007.json', 'application/json'],
      ['pdf', 'FE-2027-000007.pdf', 'application/pdf'],
      ['xml', 'FE-2027-000007-factur-x.xml', 'application/xml'],
    ]);
    for (const artefact of artefacts) expect(artefact.sha256).toBe(createHash('sha256').update(artefact.bytes).digest('hex'));
    const [json, pdf, xml] = artefacts;
    expect(JSON.parse(Buffer.from(json!.bytes).toString('utf8'))).toEqual(B2B_MIXED);
    expect(Buffer.from(xml!.bytes).toString('utf8')).toBe(buildInvoiceCii(B2B_MIXED));
    const [attached] = await attachments(pdf!.bytes);
    expect(Buffer.from(attached!.bytes).equals(Buffer.from(xml!.bytes))).toBe(true);
    const again = await invoiceArtefacts(structuredClone(B2B_MIXED));
    expect(again.map((a) => a.sha256)).toEqual(artefacts.map((a) => a.sha256));
  });

  it('a consumer document: JSON snapshot and PDF, no XML', async () => {
    const artefacts = await invoiceArtefacts(B2C_INSURANCE);
    expect(artefacts.map((a) => a.kind)).toEqual(['json', 'pdf']);
    expect(latin1(artefacts[1]!.bytes.subarray(0, 5))).toBe('%PDF-');
  });
});
