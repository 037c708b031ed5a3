import { Prisma, type Tx } from '@crm/db';
import { queueTenantMail } from '../effects/tenant-effects.ts';
import { emitEvent } from '../events/emit-event.ts';
import { dateOf, isoOf } from '../payments/dates.ts';
import { writePlannedItems } from '../payments/create-schedule.ts';
import { formatEur } from '../shared/money.ts';
import { nextTerm, RENEWAL_LEAD_DAYS, renewalStepsDue, type NextTerm } from './renewal-rules.ts';

const longDate = (iso: string) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(dateOf(iso));
const PERIOD: Record<string, string> = { monthly: 'mois', quarterly: 'trimestre', half_yearly: 'semestre', yearly: 'an' };

/**
 * The renewal pass of one tenant on `today` (a daily timed job): for every contract renewed by
 * tacit agreement that is still running, the consumer's notice when its window opens (late if it
 * was missed), then the next term's schedule 60 days before the current term ends. Each step is
 * recorded on `contract_renewals` (one row per contract and term) and done once, whatever the
 * number of runs. A contract terminated or cancelled before (an end date, another status) is not
 * renewed: that is how a client's refusal stops it.
 */
export async function renewContracts(tx: Tx, tenantId: string, today: string): Promise<{ notices: number; renewed: number }> {
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: tenantId },
    select: { name: true, legalName: true, contactEmail: true, renewalRefusalDays: true, sepaDebitDay: true },
  });
  // A loose bound in SQL (the current term's anniversary within the notice horizon), the exact
  // dates in renewal-rules.ts: a daily pass reads only the contracts near a term's end.
  const horizonDays = organisation.renewalRefusalDays + 3 * 31 + RENEWAL_LEAD_DAYS;
  const candidates = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT id FROM contracts
    WHERE tenant_id = ${tenantId}::uuid AND tacit_renewal AND end_date IS NULL
      AND status IN ('signed', 'active', 'suspended') AND billing_frequency <> 'one_off' AND duration_months > 0
      AND start_date + make_interval(months => duration_months * (renewed_terms + 1)) <= ${today}::date + ${horizonDays}::int
    ORDER BY id`);

  let notices = 0;
  let renewed = 0;
  for (const { id } of candidates) {
    const contract = await tx.contract.findFirstOrThrow({
      where: { tenantId, id },
      include: {
        lines: { orderBy: { position: 'asc' } },
        client: { select: { id: true, displayName: true, email: true, salesRep: { select: { userId: true } } } },
        mandates: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true } },
      },
    });
    const next = nextTerm({ startDate: isoOf(contract.startDate), durationMonths: contract.durationMonths, renewedTerms: contract.renewedTerms }, organisation.renewalRefusalDays);
    const record = await tx.contractRenewal.findUnique({ where: { tenantId_contractId_term: { tenantId, contractId: id, term: next.term } } });
    const steps = renewalStepsDue(next, today, { consumer: contract.consumer, noticeDone: record?.noticeSentOn != null, extended: record?.renewedOn != null });
    if (steps.length === 0) continue;
    const row = record ?? (await tx.contractRenewal.create({
      data: { tenantId, contractId: id, clientId: contract.clientId, term: next.term, termStart: dateOf(next.start), termEnd: dateOf(next.end), refuseBy: dateOf(next.refuseBy) },
    }));
    const periodAmount = contract.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);

    for (const step of steps) {
      if (step === 'notice' || step === 'late-notice') {
        const late = step === 'late-notice';
        const channel = contract.client.email ? 'email' : 'letter_task';
        const text = noticeText({ organisation, contract, next, late, periodAmount });
        if (contract.client.email) {
          await queueTenantMail(tx, tenantId, {
            recipient: contract.client.email,
            clientId: contract.clientId,
            template: 'contract.renewal_notice',
            subject: `Reconduction de votre contrat ${contract.number}`,
            textBody: text,
            idempotencyKey: `contract.renewal_notice:${id}:${next.term}`,
            createdBy: 'system:renewals',
          });
        } else {
          await tx.activity.create({
            data: {
              tenantId,
              kind: 'task',
              subject: `Envoyer par courrier l'avis de reconduction du contrat ${contract.number}`,
              body: text,
              clientId: contract.clientId,
              ownerUserId: contract.client.salesRep?.userId ?? (await organisationOwner(tx, tenantId)),
              dueDate: dateOf(late ? today : next.noticeUntil),
            },
          });
        }
        await tx.contractRenewal.update({ where: { id: row.id }, data: { noticeSentOn: dateOf(today), noticeChannel: channel, noticeLate: late } });
        await emitEvent(tx, { type: 'contract.renewal_notice', tenantId, payload: { contractId: id, clientId: contract.clientId, term: next.term, refuseBy: next.refuseBy, channel, late } });
        notices++;
      } else {
        const itemsAdded = await writePlannedItems(tx, tenantId, contract, {
          startDate: next.start,
          debitDay: contract.debitDay ?? organisation.sepaDebitDay,
          mandateId: contract.paymentMethod === 'sepa_debit' ? (contract.mandates[0]?.id ?? null) : null,
        });
        await tx.contract.update({ where: { tenantId_id: { tenantId, id } }, data: { renewedTerms: { increment: 1 } } });
        await tx.contractRenewal.update({ where: { id: row.id }, data: { renewedOn: dateOf(today), itemsAdded } });
        await emitEvent(tx, {
          type: 'contract.renewed',
          tenantId,
          payload: { contractId: id, clientId: contract.clientId, term: next.term, termStart: next.start, termEnd: next.end, itemsAdded },
        });
        renewed++;
      }
    }
  }
  return { notices, renewed };
}

async function organisationOwner(tx: Tx, tenantId: string): Promise<string> {
  const owner = await tx.membership.findFirstOrThrow({ where: { tenantId, role: 'owner' }, orderBy: { createdAt: 'asc' }, select: { userId: true } });
  return owner.userId;
}

function noticeText(input: {
  organisation: { name: string; legalName: string | null; contactEmail: string | null };
  contract: { number: string; billingFrequency: string; client: { displayName: string } };
  next: NextTerm;
  late: boolean;
  periodAmount: number;
}): string {
  const { organisation, contract, next, late } = input;
  const seller = organisation.legalName ?? organisation.name;
  const lines = [
    `Bonjour ${contract.client.displayName},`,
    '',
    `Votre contrat ${contract.number} avec ${seller} arrive au terme de sa période en cours le ${longDate(next.currentEnd)}.`,
    `Sauf opposition de votre part, il sera reconduit tacitement du ${longDate(next.start)} au ${longDate(next.end)}, ` +
      `au prix actuel de ${formatEur(input.periodAmount)} HT par ${PERIOD[contract.billingFrequency] ?? 'période'}.`,
    '',
    `Vous pouvez refuser cette reconduction jusqu'au ${longDate(next.refuseBy)} inclus, par écrit` +
      (organisation.contactEmail ? ` (par exemple à ${organisation.contactEmail}).` : '.'),
  ];
  if (late) {
    lines.push(
      '',
      "Cet avis vous parvient après le délai prévu par l'article L215-1 du Code de la consommation : " +
        'vous pouvez mettre gratuitement fin au contrat à tout moment à compter de la date de reconduction. ' +
        'Les sommes payées pour la période postérieure à la résiliation vous seront remboursées.',
    );
  }
  lines.push('', "Article L215-1 du Code de la consommation : ce rappel vous informe de votre faculté de ne pas reconduire le contrat.", '', seller);
  return lines.join('\n');
}
