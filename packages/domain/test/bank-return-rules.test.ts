import { describe, expect, it } from 'vitest';
import { decideReturnLine, refusalOf, statusWhy, UNKNOWN_DEBIT, type DebitStatus, type ReturnLine, type ReturnLineSource } from '../src/payments/bank-return-rules.ts';

// What one line of a bank return may do to the debit it names, every status of the line against
// every status of the debit, every source (the line itself, a block status, a whole-file status).
// The import that applies these decisions is tested on PostgreSQL (payments-returns*.test.ts).

const THIS_FILE = 'file-b';
const OTHER_FILE = 'file-a';
const STATUSES: DebitStatus[] = ['planned', 'batched', 'submitted', 'paid', 'rejected', 'cancelled'];
const SOURCES: ReturnLineSource[] = ['line', 'block', 'file'];
const policy = { ms03MeansInsufficientFunds: false };

const line = (over: Partial<ReturnLine> = {}): ReturnLine => ({ endToEndId: 'E2E-1', status: 'rejected', reasonCode: 'AM04', source: 'line', ...over });
const debit = (status: DebitStatus, rejectedBy: string | null = null) => ({ status, amountCents: 1_703, rejectedBy });

describe('a rejection', () => {
  it('of a debit already rejected is never applied again, whatever file or line says it, and says by whom', () => {
    for (const source of SOURCES) {
      for (const reasonCode of ['AM04', 'AC04', 'MD06', 'ZZ99', undefined]) {
        const byOther = decideReturnLine(line({ source, reasonCode }), debit('rejected', OTHER_FILE), THIS_FILE, policy);
        expect(byOther).toEqual({ kind: 'problem', message: 'E2E-1 : déjà rejeté par un autre fichier de retours, ce rejet n’est pas appliqué une seconde fois' });
        const earlierLine = decideReturnLine(line({ source, reasonCode }), debit('rejected', THIS_FILE), THIS_FILE, policy);
        expect(earlierLine).toEqual({ kind: 'problem', message: 'E2E-1 : déjà rejeté plus haut dans ce fichier, ce rejet n’est pas appliqué une seconde fois' });
        // Rejected with no return file known (a rejection recorded before files were kept): refused all the same.
        expect(decideReturnLine(line({ source, reasonCode }), debit('rejected'), THIS_FILE, policy)).toEqual({
          kind: 'problem',
          message: 'E2E-1 : déjà rejeté, ce rejet n’est pas appliqué une seconde fois',
        });
      }
    }
  });

  it('of a submitted debit is a reject (R-transaction "reject") with its code and category', () => {
    for (const source of SOURCES) {
      expect(decideReturnLine(line({ source }), debit('submitted'), THIS_FILE, policy)).toEqual({ kind: 'reject', reasonCode: 'AM04', reasonCategory: 'insufficient_funds', rTransaction: 'reject' });
    }
    expect(decideReturnLine(line({ reasonCode: 'AC04' }), debit('submitted'), THIS_FILE, policy)).toEqual({ kind: 'reject', reasonCode: 'AC04', reasonCategory: 'account_closed_or_blocked', rTransaction: 'reject' });
  });

  it('of a paid debit, named by its own line, is a return or a refund (MD06); a block or file status leaves it paid', () => {
    expect(decideReturnLine(line({ reasonCode: 'AC04' }), debit('paid'), THIS_FILE, policy)).toEqual({ kind: 'reject', reasonCode: 'AC04', reasonCategory: 'account_closed_or_blocked', rTransaction: 'return' });
    expect(decideReturnLine(line({ reasonCode: 'MD06' }), debit('paid'), THIS_FILE, policy)).toMatchObject({ kind: 'reject', rTransaction: 'refund' });
    expect(decideReturnLine(line({ source: 'file' }), debit('paid'), THIS_FILE, policy)).toEqual({
      kind: 'problem',
      message: 'E2E-1 : déjà réglé : le rejet du fichier entier ne s’applique pas à un prélèvement payé (erreur de la banque ou retour à recevoir ligne à ligne)',
    });
    expect(decideReturnLine(line({ source: 'block' }), debit('paid'), THIS_FILE, policy)).toEqual({
      kind: 'problem',
      message: 'E2E-1 : déjà réglé : le rejet du lot entier ne s’applique pas à un prélèvement payé (erreur de la banque ou retour à recevoir ligne à ligne)',
    });
  });

  it('of a debit the bank does not hold (planned, batched, cancelled) changes nothing and says why', () => {
    for (const status of ['planned', 'batched', 'cancelled'] as const) {
      for (const source of SOURCES) {
        expect(decideReturnLine(line({ source }), debit(status), THIS_FILE, policy)).toEqual({ kind: 'unmatched', why: statusWhy(status) });
      }
    }
    expect(['planned', 'batched', 'paid', 'rejected', 'cancelled', 'submitted'].map(statusWhy)).toEqual([
      'Échéance non remise à la banque',
      'Lot pas encore marqué envoyé',
      'Déjà réglée',
      'Déjà rejetée',
      'Échéance annulée',
      'Statut incompatible',
    ]);
  });

  it('keeps an unknown or missing code as received, classified unknown, and says so', () => {
    expect(decideReturnLine(line({ reasonCode: 'ZZ99' }), debit('submitted'), THIS_FILE, policy)).toEqual({
      kind: 'reject',
      reasonCode: 'ZZ99',
      reasonCategory: 'unknown',
      rTransaction: 'reject',
      problem: 'E2E-1 : code motif ZZ99 inconnu, rejet enregistré avec ce code et la catégorie « motif inconnu » (pas de nouvelle présentation)',
    });
    expect(decideReturnLine(line({ reasonCode: undefined }), debit('submitted'), THIS_FILE, policy)).toEqual({
      kind: 'reject',
      reasonCode: null,
      reasonCategory: 'unknown',
      rTransaction: 'reject',
      problem: 'E2E-1 : code motif (absent) inconnu, rejet enregistré avec ce code et la catégorie « motif inconnu » (pas de nouvelle présentation)',
    });
    // MS03 follows the organisation's setting.
    expect(decideReturnLine(line({ reasonCode: 'MS03' }), debit('submitted'), THIS_FILE, { ms03MeansInsufficientFunds: true })).toMatchObject({ reasonCategory: 'insufficient_funds' });
    expect(decideReturnLine(line({ reasonCode: 'MS03' }), debit('submitted'), THIS_FILE, policy)).toMatchObject({ reasonCategory: 'unknown' });
  });
});

describe('a settlement', () => {
  it('pays a submitted debit only; on a rejected one it is a problem, anything else unmatched', () => {
    const settled = line({ status: 'settled', reasonCode: undefined });
    for (const status of STATUSES) {
      const decision = decideReturnLine(settled, debit(status, OTHER_FILE), THIS_FILE, policy);
      if (status === 'submitted') expect(decision).toEqual({ kind: 'settle' });
      else if (status === 'rejected') expect(decision).toEqual({ kind: 'problem', message: 'E2E-1 : règlement d’un prélèvement déjà rejeté, non appliqué (à vérifier avec la banque)' });
      else expect(decision, status).toEqual({ kind: 'unmatched', why: statusWhy(status) });
    }
  });
});

describe('an acceptance', () => {
  it('counts a submitted debit and changes nothing; anything else is unmatched', () => {
    const accepted = line({ status: 'accepted', reasonCode: undefined });
    for (const status of STATUSES) {
      expect(decideReturnLine(accepted, debit(status), THIS_FILE, policy), status).toEqual(status === 'submitted' ? { kind: 'accept' } : { kind: 'unmatched', why: statusWhy(status) });
    }
  });
});

describe('any line', () => {
  it('naming no debit of ours is unmatched; with another amount than the debit it is ignored, whatever its status', () => {
    expect(decideReturnLine(line(), undefined, THIS_FILE, policy)).toEqual({ kind: 'unmatched', why: UNKNOWN_DEBIT });
    expect(UNKNOWN_DEBIT).toBe('Aucun prélèvement de l’organisation avec cette référence');
    for (const status of ['rejected', 'settled', 'accepted'] as const) {
      expect(decideReturnLine(line({ status, amountCents: 1_702 }), debit('submitted'), THIS_FILE, policy)).toEqual({
        kind: 'problem',
        message: 'E2E-1 : montant 1702 centimes au lieu de 1703, ligne ignorée',
      });
    }
    // The right amount, or none, goes on.
    expect(decideReturnLine(line({ amountCents: 1_703 }), debit('submitted'), THIS_FILE, policy)).toMatchObject({ kind: 'reject' });
    expect(decideReturnLine(line({ status: 'settled', amountCents: 1_703 }), debit('submitted'), THIS_FILE, policy)).toEqual({ kind: 'settle' });
  });

  it('refusalOf lets a rejection through only where it may apply', () => {
    for (const status of STATUSES) {
      for (const source of SOURCES) {
        const refused = refusalOf(line({ source }), debit(status, OTHER_FILE), THIS_FILE);
        const expected = status === 'rejected' || (status === 'paid' && source !== 'line');
        expect(refused !== null, `${status} ${source}`).toBe(expected);
      }
    }
  });
});
