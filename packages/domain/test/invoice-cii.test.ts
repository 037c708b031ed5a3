import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInvoiceCii, ciiAmount, ciiPercent } from '../src/invoices/invoice-cii.ts';
import { escapeXml, escapeXmlText } from '../src/invoices/xml-builder.ts';
import { einvoicingDir, en16931Sef, validateCii } from './einvoicing-validation.ts';
import { B2B_CREDIT_NOTE, B2B_MIXED, B2C_INSURANCE, SAMPLE_DOCUMENTS } from './invoice-document-fixtures.ts';

// The CII (factur-x.xml) of every sample passes the D16B XSD and the EN 16931 Schematron with no
// fatal assert; the validator itself accepts the official examples and rejects a broken file.

// Compiling the Schematron takes ~15 s (more on a loaded CI): once, in a hook with room, cached after.
beforeAll(() => {
  en16931Sef();
}, 300_000);

describe('EN 16931 validator (sanity)', () => {
  it.each(['CII_business_example_01.xml', 'CII_example1.xml'])('accepts the official example %s', (file) => {
    const result = validateCii(readFileSync(join(einvoicingDir(), 'examples', file), 'utf8'));
    expect(result.xsdErrors).toEqual([]);
    expect(result.fatal).toEqual([]);
  });

  it('rejects a broken invoice: wrong grand total (BR-CO-15) and no delivery block (XSD)', () => {
    const xml = buildInvoiceCii(B2B_MIXED)
      .replace(/<ram:GrandTotalAmount>[^<]*</, '<ram:GrandTotalAmount>1.00<')
      .replace(/<ram:ApplicableHeaderTradeDelivery\/>\n/, '');
    const result = validateCii(xml);
    expect(result.fatal.map((failure) => failure.id)).toContain('BR-CO-15');
    expect(result.xsdErrors.join('\n')).toMatch(/ApplicableHeaderTradeDelivery|ApplicableHeaderTradeSettlement/);
  });
});

describe('buildInvoiceCii', () => {
  it.each(Object.entries(SAMPLE_DOCUMENTS))('%s: XSD valid, zero fatal EN 16931 asserts', (_name, doc) => {
    const result = validateCii(buildInvoiceCii(doc));
    expect(result.xsdErrors).toEqual([]);
    expect(result.fatal).toEqual([]);
  });

  it('is deterministic: same snapshot, same bytes', () => {
    expect(buildInvoiceCii(structuredClone(B2B_MIXED))).toBe(buildInvoiceCii(B2B_MIXED));
  });

  it('carries the French specifics of a business invoice', () => {
    const xml = buildInvoiceCii(B2B_MIXED);
    expect(xml).toContain('<ram:BusinessProcessSpecifiedDocumentContextParameter>\n      <ram:ID>M1</ram:ID>');
    expect(xml).toContain('<ram:ID>urn:cen.eu:en16931:2017</ram:ID>');
    for (const code of ['PMT', 'PMD', 'AAB']) expect(xml).toContain(`<ram:SubjectCode>${code}</ram:SubjectCode>`);
    expect(xml.match(/<ram:IncludedNote>/g)).toHaveLength(B2B_MIXED.notes.length);
    expect(xml).toContain('<ram:ID schemeID="0002">732829320</ram:ID>');
    expect(xml).toContain('<ram:ID schemeID="0002">552100554</ram:ID>');
    expect(xml).toContain('<ram:CreditorReferenceID>FR72ZZZ123456</ram:CreditorReferenceID>');
    expect(xml).toContain('<ram:DirectDebitMandateID>RUM-ARC-2026-0040</ram:DirectDebitMandateID>');
    expect(xml).toContain('<ram:TypeCode>59</ram:TypeCode>');
    expect(xml).toContain('<ram:PayerPartyDebtorFinancialAccount>');
    expect(xml).toContain('<ram:RateApplicablePercent>5.5</ram:RateApplicablePercent>');
    expect(xml).toContain('<ram:BuyerOrderReferencedDocument>');
    // Escaped markup from a label and a name.
    expect(xml).toContain('Audit des contrats &lt;flotte&gt;');
    expect(xml).toContain('Boulangerie Martin &amp; Fils SARL');
    expect(xml).toContain("Pas d'escompte pour paiement anticipé.");
  });

  it('a consumer invoice: exemption reason on the E row, no B2B notes, S1', () => {
    const xml = buildInvoiceCii(B2C_INSURANCE);
    expect(xml).toContain('<ram:ExemptionReason>Exonération de TVA, article 261 C du CGI</ram:ExemptionReason>');
    expect(xml).not.toMatch(/<ram:SubjectCode>(PMT|PMD|AAB)</);
    expect(xml).toContain('<ram:ID>S1</ram:ID>');
  });

  it('a credit note: type 381 and the preceding invoice (BT-25/26)', () => {
    const xml = buildInvoiceCii(B2B_CREDIT_NOTE);
    expect(xml).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect(xml).toMatch(
      /<ram:InvoiceReferencedDocument>\s*<ram:IssuerAssignedID>FE-2027-000007<\/ram:IssuerAssignedID>\s*<ram:FormattedIssueDateTime>\s*<qdt:DateTimeString format="102">20261215</,
    );
    expect(xml).toContain('<udt:DateTimeString format="102">20270120</udt:DateTimeString>');
  });

  it('formats amounts, rates and escapes', () => {
    expect([ciiAmount(0), ciiAmount(5), ciiAmount(123_450), ciiAmount(-305)]).toEqual(['0.00', '0.05', '1234.50', '-3.05']);
    expect([ciiPercent(2000), ciiPercent(550), ciiPercent(0), ciiPercent(210), ciiPercent(1005)]).toEqual(['20', '5.5', '0', '2.1', '10.05']);
    expect(() => ciiAmount(1.5)).toThrow();
    expect(escapeXml(`a&b<c>"d'\u0001e`)).toBe('a&amp;b&lt;c&gt;&quot;d&apos;e');
    expect(escapeXmlText(`a&b<c>"d'\u0001e\r]]>`)).toBe(`a&amp;b&lt;c&gt;"d'e&#13;]]&gt;`);
  });
});
