export { EffectSender, type EffectSenderOptions } from './effect-sender.ts';
export { captureTransport, messageIdFor, smtpTransport, PermanentSendError, type MailTransport, type OutgoingMail } from './transports.ts';
export { AccountMailSender, accountTransportName } from './account-transports.ts';
