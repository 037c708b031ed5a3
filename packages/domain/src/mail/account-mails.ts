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
      `Si vous avez oublié votre mot de passe : ${params.appUrl}/mot-de-passe-oublie`,
      "Si ce n'était pas vous, vous pouvez ignorer ce message.",
    ].join('\n'),
    link,
    params: { name: params.name },
    idempotencyKey: `sign-up-attempt-notice:${params.userId}:${params.now.toISOString().slice(0, 13)}`,
  };
}

/** The link of a password reset: one use, one hour; the secret after '#'. */
export function passwordResetMail(params: { requestId: string; userId: string; email: string; name: string; appUrl: string; token: string; expiresAt: Date }): SystemMailInput {
  const link = `${params.appUrl}/reinitialiser-mot-de-passe#${params.token}`;
  return {
    userId: params.userId,
    recipient: params.email,
    template: 'password-reset',
    subject: 'Réinitialisation de votre mot de passe',
    textBody: [
      `Bonjour ${params.name},`,
      '',
      'Pour choisir un nouveau mot de passe, ouvrez ce lien :',
      link,
      '',
      `Le lien sert une fois et expire le ${parisDateTime.format(params.expiresAt)}. Vos sessions ouvertes seront fermées.`,
      "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.",
    ].join('\n'),
    link,
    params: { name: params.name },
    idempotencyKey: `password-reset:${params.requestId}`,
  };
}

/** After a password reset or change: the owner learns of it, whoever did it. */
export function passwordChangedNoticeMail(params: { userId: string; email: string; name: string; appUrl: string; how: 'reset' | 'change'; eventId: string; at: Date }): SystemMailInput {
  const link = `${params.appUrl}/mot-de-passe-oublie`;
  return {
    userId: params.userId,
    recipient: params.email,
    template: 'password-changed-notice',
    subject: 'Votre mot de passe a été modifié',
    textBody: [
      `Bonjour ${params.name},`,
      '',
      `Le mot de passe de votre compte a été ${params.how === 'reset' ? 'réinitialisé' : 'modifié'} le ${parisDateTime.format(params.at)}.`,
      params.how === 'reset' ? 'Toutes vos sessions ont été fermées.' : 'Vos autres sessions ont été fermées.',
      `Si ce n'était pas vous, réinitialisez-le tout de suite : ${link}`,
    ].join('\n'),
    link,
    params: { name: params.name },
    idempotencyKey: `password-changed:${params.eventId}`,
  };
}

/** An invitation to join an organisation: the same link the inviter may copy. */
export function invitationMail(params: {
  invitationId: string;
  email: string;
  organisationName: string;
  inviterName: string | null;
  appUrl: string;
  token: string;
  expiresAt: Date;
}): SystemMailInput {
  const link = `${params.appUrl}/invitation/${params.token}`;
  return {
    recipient: params.email,
    template: 'invitation',
    subject: `Invitation à rejoindre « ${params.organisationName} »`,
    textBody: [
      'Bonjour,',
      '',
      `${params.inviterName ?? 'Un membre'} vous invite à rejoindre l'espace « ${params.organisationName} ». Pour accepter, ouvrez ce lien :`,
      link,
      '',
      `L'invitation expire le ${parisDateTime.format(params.expiresAt)}.`,
      "Si vous ne vous attendiez pas à cette invitation, ignorez ce message.",
    ].join('\n'),
    link,
    params: { organisationName: params.organisationName },
    idempotencyKey: `invitation:${params.invitationId}`,
  };
}

/**
 * A refresh token was presented again after it had been used: the signature of a stolen one. The
 * whole session was closed; its owner learns of it once per session (the key names the family).
 */
export function refreshTokenReuseNoticeMail(params: { userId: string; email: string; name: string; appUrl: string; familyId: string; at: Date; ip?: string | null; userAgent?: string | null }): SystemMailInput {
  const link = `${params.appUrl}/mot-de-passe-oublie`;
  return {
    userId: params.userId,
    recipient: params.email,
    template: 'refresh-token-reuse-notice',
    subject: 'Alerte de sécurité : une de vos sessions a été fermée',
    textBody: [
      `Bonjour ${params.name},`,
      '',
      `Le ${parisDateTime.format(params.at)}, un jeton de session déjà utilisé a été présenté à nouveau pour votre compte. Cela arrive quand ce jeton a été copié depuis votre appareil.`,
      'Par précaution, cette session a été fermée : vous devrez vous reconnecter sur cet appareil.',
      params.ip ? `Adresse IP de la tentative : ${params.ip}${params.userAgent ? ` (${params.userAgent.slice(0, 120)})` : ''}.` : '',
      `Si vous ne reconnaissez pas cette activité, changez votre mot de passe tout de suite : ${link}`,
    ].filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'),
    link,
    params: { name: params.name },
    idempotencyKey: `refresh-token-reuse:${params.familyId}`,
  };
}
