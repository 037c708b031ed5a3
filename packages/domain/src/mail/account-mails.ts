import type { SystemMailInput } from './system-mail.ts';

// The texts of account mail, in French like the rest of what users read. Links are absolute:
// the mail is read outside the app. The secret of a link goes after '#', which browsers never
// send to a server, so it stays out of access logs and Referer headers.

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

export function emailVerificationMail(params: {
  requestId: string;
  email: string;
  name: string;
  organisationName: string;
  appUrl: string;
  token: string;
  expiresAt: Date;
}): SystemMailInput {
  const link = `${params.appUrl}/verifier-email#${params.token}`;
  const until = parisDateTime.format(params.expiresAt);
  return {
    recipient: params.email,
    template: 'email-verification',
    subject: 'Confirmez votre adresse pour activer votre compte',
    textBody: [
      `Bonjour ${params.name},`,
      '',
      `Pour activer votre compte et l'espace « ${params.organisationName} », confirmez votre adresse en ouvrant ce lien :`,
      link,
      '',
      `Le lien sert une fois et expire le ${until}.`,
      "Si vous n'avez pas demandé de compte, ignorez ce message : rien ne sera créé.",
    ].join('\n'),
    link,
    params: { name: params.name, organisationName: params.organisationName },
    idempotencyKey: `email-verification:${params.requestId}`,
  };
}

/**
 * To the owner of an address that already has an account, instead of a second account. One per
 * account and hour at most: repeated sign-ups with someone's address must not flood their mailbox.
 */
export function signUpAttemptNoticeMail(params: { userId: string; email: string; name: string; appUrl: string; now: Date }): SystemMailInput {
  const link = `${params.appUrl}/connexion`;
  return {
    userId: params.userId,
    recipient: params.email,
    template: 'sign-up-attempt-notice',
    subject: 'Quelqu’un a tenté de créer un compte avec votre adresse',
    textBody: [
      `Bonjour ${params.name},`,
      '',
      'Quelqu’un a tenté de créer un compte avec votre adresse. Vous avez déjà un compte : aucun autre n’a été créé.',
      `Pour vous connecter : ${link}`,
      'Si vous avez oublié votre mot de passe, la page de connexion vous permettra bientôt de le réinitialiser.',
      "Si ce n'était pas vous, vous pouvez ignorer ce message.",
    ].join('\n'),
    link,
    params: { name: params.name },
    idempotencyKey: `sign-up-attempt-notice:${params.userId}:${params.now.toISOString().slice(0, 13)}`,
  };
}
