import { toSepaText } from './sepa-charset.ts';
import type { CheckedDebit } from './sepa-debit-checks.ts';
import type { SepaPainVersion, SepaPostalAddress } from './sepa-direct-debit-types.ts';

// Writing pain.008 as strings (no DOM). Only checked values reach this file: every value written
// is either validated (identifiers, IBANs, BICs, dates) or transliterated to the SEPA Latin set,
// so no escaping is ever needed. The rules of what may be written live in sepa-debit-checks.ts.

/** Debits per chunk of the file: each chunk is joined into one flat string as soon as it is full. */
export const SEPA_FILE_CHUNK_DEBITS = 500;

/** EUR amount as the XSD wants it, from integer cents: "1234.50". */
export const formatCents = (cents: number): string => {
  const euros = Math.floor(cents / 100);
  const rest = cents - euros * 100;
  return `${euros}.${rest < 10 ? '0' : ''}${rest}`;
};

/**
 * The DrctDbtTxInf of a block, written as soon as each debit is validated and joined every
 * SEPA_FILE_CHUNK_DEBITS: a 100k-debit file keeps 200 flat strings alive, not 100k small ones.
 */
export class Transactions {
  readonly chunks: string[] = [];
  private pending: string[] = [];

  write(text: string): void {
    this.pending.push(text);
    if (this.pending.length === SEPA_FILE_CHUNK_DEBITS) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) this.chunks.push(this.pending.join(''));
    this.pending = [];
  }
}

export class Writer {
  constructor(readonly version: SepaPainVersion) {}

  get bicTag(): string {
    return this.version === 'pain.008.001.08' ? 'BICFI' : 'BIC';
  }

  /** FinInstnId of an agent: its BIC, or "NOTPROVIDED" (the XSD requires the agent; EPC's value when the BIC is not given). */
  agent(bic: string | null): string {
    return bic ? `<FinInstnId><${this.bicTag}>${bic}</${this.bicTag}></FinInstnId>` : '<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>';
  }

  /**
   * pain.008.001.08: the structured address (StrtNm, BldgNb, PstCd, TwnNm, Ctry), plus one
   * AdrLine for what they cannot hold (EPC's hybrid form).
   * pain.008.001.02: EPC allows only Ctry and two AdrLine there, so the same data goes into lines.
   */
  address(address: SepaPostalAddress | null | undefined): string {
    if (!address) return '';
    const street = address.streetName ? toSepaText(address.streetName, 70) : '';
    const building = address.buildingNumber ? toSepaText(address.buildingNumber, 16) : '';
    const postalCode = address.postalCode ? toSepaText(address.postalCode, 16) : '';
    const town = toSepaText(address.townName, 35);
    const country = address.country.toUpperCase();
    const extra = address.addressLine ? toSepaText(address.addressLine, 70) : '';
    if (this.version === 'pain.008.001.08') {
      return `<PstlAdr>${street ? `<StrtNm>${street}</StrtNm>` : ''}${building ? `<BldgNb>${building}</BldgNb>` : ''}${postalCode ? `<PstCd>${postalCode}</PstCd>` : ''}<TwnNm>${town}</TwnNm><Ctry>${country}</Ctry>${extra ? `<AdrLine>${extra}</AdrLine>` : ''}</PstlAdr>`;
    }
    const line1 = toSepaText([`${building} ${street}`.trim(), extra].filter(Boolean).join(', '), 70);
    const line2 = toSepaText(`${postalCode} ${town}`, 70);
    return `<PstlAdr><Ctry>${country}</Ctry>${line1 ? `<AdrLine>${line1}</AdrLine>` : ''}<AdrLine>${line2}</AdrLine></PstlAdr>`;
  }

  schemeId(creditorId: string): string {
    return `<Id><PrvtId><Othr><Id>${creditorId}</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id>`;
  }

  /** The mandate's amendment details (EPC AT-24), in the XSD's order. */
  amendment(amendment: CheckedDebit['amendment']): string {
    if (!amendment) return '<AmdmntInd>false</AmdmntInd>';
    const parts: string[] = [];
    if (amendment.originalMandateId) parts.push(`<OrgnlMndtId>${amendment.originalMandateId}</OrgnlMndtId>`);
    if (amendment.originalCreditorId || amendment.originalCreditorName) {
      const name = amendment.originalCreditorName ? `<Nm>${amendment.originalCreditorName}</Nm>` : '';
      const id = amendment.originalCreditorId ? this.schemeId(amendment.originalCreditorId) : '';
      parts.push(`<OrgnlCdtrSchmeId>${name}${id}</OrgnlCdtrSchmeId>`);
    }
    if (amendment.originalDebtorIban) parts.push(`<OrgnlDbtrAcct><Id><IBAN>${amendment.originalDebtorIban}</IBAN></Id></OrgnlDbtrAcct>`);
    if (amendment.debtorBankChanged) parts.push('<OrgnlDbtrAgt><FinInstnId><Othr><Id>SMNDA</Id></Othr></FinInstnId></OrgnlDbtrAgt>');
    return `<AmdmntInd>true</AmdmntInd><AmdmntInfDtls>${parts.join('')}</AmdmntInfDtls>`;
  }

  /** One checked debit as its DrctDbtTxInf. */
  debit(debit: CheckedDebit): string {
    return (
      `<DrctDbtTxInf><PmtId><EndToEndId>${debit.endToEndId}</EndToEndId></PmtId><InstdAmt Ccy="EUR">${formatCents(debit.amountCents)}</InstdAmt>` +
      `<DrctDbtTx><MndtRltdInf><MndtId>${debit.mandateId}</MndtId><DtOfSgntr>${debit.mandateSignatureDate}</DtOfSgntr>${this.amendment(debit.amendment)}</MndtRltdInf></DrctDbtTx>` +
      `<DbtrAgt>${this.agent(debit.debtorBic)}</DbtrAgt><Dbtr><Nm>${debit.debtorName}</Nm>${this.address(debit.debtorAddress)}</Dbtr>` +
      `<DbtrAcct><Id><IBAN>${debit.debtorIban}</IBAN></Id></DbtrAcct>${debit.remittance ? `<RmtInf><Ustrd>${debit.remittance}</Ustrd></RmtInf>` : ''}</DrctDbtTxInf>\n`
    );
  }
}
