import type { TenantDeps } from '../shared/context.ts';
import { badRequest, notFound } from '../shared/errors.ts';
import { signedContractFileName } from '../contracts/contract-documents.ts';
import { commonValues, euros, frenchDate } from './mail-text.ts';
import type { TMailTemplateKeyInput, TPreviewMailTemplateInput, TUpdateMailTemplateInput } from './mail-templates.schema.ts';
import { renderTemplate, templateOf, unknownVariables } from './render-template.ts';
import { MAIL_TEMPLATE_KEYS, MAIL_TEMPLATES, type MailTemplateKey } from './template-defaults.ts';

/** `mailTemplates.list`: every automated mail, its wording (the organisation's or the default) and its variables. */
export async function listMailTemplates({ tx, actor }: TenantDeps) {
  return Promise.all(
    MAIL_TEMPLATE_KEYS.map(async (key) => {
      const t = await templateOf(tx, actor.tenantId, key);
      const def = MAIL_TEMPLATES[key];
      return { key, label: def.label, kind: def.kind, subject: t.subject, body: t.body, custom: t.custom, variables: Object.entries(def.variables).map(([name, meaning]) => ({ name, meaning })) };
    }),
  );
}

function checkVariables(input: TUpdateMailTemplateInput) {
  const key = input.key as MailTemplateKey;
  const subject = unknownVariables(key, input.subject);
  const body = unknownVariables(key, input.body);
  if (subject.length || body.length) {
    const say = (names: string[]) => [`Variable inconnue : ${names.map((n) => `{{${n}}}`).join(', ')}`];
    throw badRequest('Ce modèle utilise des variables qui n’existent pas', { ...(subject.length ? { subject: say(subject) } : {}), ...(body.length ? { body: say(body) } : {}) });
  }
}

/** `mailTemplates.update`: the organisation's wording; unknown variables are refused (field errors). */
export async function updateMailTemplate({ tx, actor, now }: TenantDeps, input: TUpdateMailTemplateInput) {
  checkVariables(input);
  await tx.mailTemplate.upsert({
    where: { tenantId_key: { tenantId: actor.tenantId, key: input.key } },
    create: { tenantId: actor.tenantId, key: input.key, subject: input.subject, body: input.body, updatedBy: actor.userId, updatedAt: now },
    update: { subject: input.subject, body: input.body, updatedBy: actor.userId, updatedAt: now },
  });
  return { key: input.key, custom: true };
}

/** `mailTemplates.reset`: back to the default text. */
export async function resetMailTemplate({ tx, actor }: TenantDeps, input: TMailTemplateKeyInput) {
  await tx.mailTemplate.deleteMany({ where: { tenantId: actor.tenantId, key: input.key } });
  return { key: input.key, custom: false };
}

/**
 * `mailTemplates.preview`: a draft rendered with a real record of the organisation: a client
 * (the one named, or the newest with an address), its latest contract and invoice where the
 * template speaks of them; what the organisation has no record of is shown as an example, said so.
 */
export async function previewMailTemplate({ tx, actor }: TenantDeps, input: TPreviewMailTemplateInput) {
  checkVariables(input);
  const tenantId = actor.tenantId;
  const client = await tx.client.findFirst({
    where: { tenantId, ...(input.clientId ? { id: input.clientId } : { email: { not: null } }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, email: true, kind: true, firstName: true, lastName: true, companyName: true },
  });
  if (input.clientId && !client) throw notFound('Client');
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true, contactEmail: true } });
  const person = client?.kind === 'person' ? [client.firstName, client.lastName].filter(Boolean).join(' ') : null;
  const example = (text: string) => `${text} (exemple)`;
  const values: Record<string, string> = client
    ? commonValues(organisation, { ...client, greetingName: person }, person)
    : commonValues(organisation, { email: example('client@exemple.fr'), kind: 'person', greetingName: 'Jean Dupont' }, 'Jean Dupont');
  const contract = client ? await tx.contract.findFirst({ where: { tenantId, clientId: client.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { number: true, signedOn: true, consumer: true } }) : null;
  const contractNumber = contract?.number ?? example('CT-2026-0001');
  values['contrat.numero'] = contractNumber;
  values['contrat.date_signature'] = contract?.signedOn ? frenchDate(contract.signedOn.toISOString().slice(0, 10)) : example('01/01/2026');
  values['contrat.fichier'] = signedContractFileName(contractNumber);
  values['contrat.retractation'] = (contract?.consumer ?? true) ? 'Vous disposez d’un délai de rétractation de 14 jours à compter de la signature, dans les conditions rappelées au contrat.' : '';
  values['contrat.objet'] = ` – contrat ${contractNumber}`;
  values['contrat.mention'] = ` (contrat ${contractNumber})`;
  values['prelevement.evenement'] = `Le prélèvement de ${euros(4990)} n’a pas pu être effectué : votre banque l’a rejeté le ${example('05/01/2026')}`;
  values['prelevement.motif'] = 'Provision insuffisante (code AM04)';
  values['prelevement.suite'] = 'Le prélèvement pourra vous être présenté à nouveau prochainement : merci de veiller à ce que votre compte soit suffisamment approvisionné.';
  values['contact.phrase'] = organisation.contactEmail ? `Pour toute question, écrivez-nous à ${organisation.contactEmail} : nous vous répondrons au plus vite.` : 'Pour toute question, répondez simplement à ce message.';
  const invoice = client ? await tx.invoice.findFirst({ where: { tenantId, clientId: client.id, number: { not: null } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { number: true, issueDate: true, grossCents: true } }) : null;
  values['document.titre'] = 'Votre facture';
  values['document.nom'] = 'votre facture';
  values['facture.numero'] = invoice?.number ?? example('FA-2026-0001');
  values['facture.date'] = invoice?.issueDate ? frenchDate(invoice.issueDate.toISOString().slice(0, 10)) : example('01/01/2026');
  values['facture.montant_ttc'] = euros(invoice ? invoice.grossCents : 4990);
  values['facture.periode'] = '';
  values['facture.paiement'] = '';
  const rendered = renderTemplate(input, values);
  return { ...rendered, recipient: client?.email ?? null, clientId: client?.id ?? null, clientName: values['client.nom'] || null };
}
