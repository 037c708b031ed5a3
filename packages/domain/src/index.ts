// The business rules. One use case per file; this index is the package's whole surface.
export * from './shared/errors.ts';
export * from './shared/clock.ts';
export * from './shared/context.ts';
export * from './shared/identifiers.ts';
export * from './shared/identifiers.schema.ts';
export * from './access/iban-disclosure.ts';
export * from './shared/money.ts';
export * from './shared/input-rules.ts';
export * from './access/permissions.ts';
export * from './events/catalogue.ts';
export * from './events/emit-event.ts';
export * from './audit/record-audit.ts';
export * from './events/event-handler.ts';
export * from './subscribers/event-handlers.ts';
export * from './events/handle-event.ts';
export * from './events/handler-deps.ts';
export * from './effects/tenant-effects.ts';
export * from './subscribers/event-operations.ts';
export * from './events/prune-outbox.ts';
export * from './events/event-backlog.ts';
export * from './notifications/notification-types.ts';
export * from './notifications/notifications.schema.ts';
export * from './notifications/notifications.ts';
export { notifyOnEvent } from './notifications/notify-on-event.ts';
export { streamNotifications, type NotificationSignal } from './notifications/stream-notifications.ts';
export { consumeStreamTicket, issueStreamTicket, STREAM_TICKET_TTL_SECONDS, type StreamPurpose } from './notifications/stream-tickets.ts';
export { projectEventOnDashboard } from './dashboard/project-event.ts';
export { parisDay } from './shared/paris-day.ts';
export * from './dashboard/get-daily-dashboard.ts';

export * from './auth/auth.schema.ts';
export * from './auth/tokens.ts';
export * from './auth/sessions.ts';
export { signUp, SIGN_UP_THROTTLE, type SignUpReceipt } from './auth/sign-up.ts';
export { verifyEmail } from './auth/verify-email.ts';
export { requestPasswordReset, resetPassword, PASSWORD_RESET_THROTTLE } from './auth/password-reset.ts';
export { changePassword, CHANGE_PASSWORD_THROTTLE } from './auth/change-password.ts';
export { createVerifiedAccount, type NewAccount } from './auth/create-account.ts';
export { logIn } from './auth/log-in.ts';
export { refreshSession } from './auth/refresh-session.ts';
export { logOut } from './auth/log-out.ts';
export { getMe } from './auth/get-me.ts';
export { switchOrganisation } from './auth/switch-organisation.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { THROTTLE } from './auth/login-throttle.ts';
export { listCapturedMail, ZListCapturedMailInput, type TListCapturedMailInput } from './mail/captured-mail.ts';
export { queueSystemMail, type SystemMailInput } from './mail/system-mail.ts';

export * from './organisations/organisations.schema.ts';
export { getOrganisation, type OrganisationView } from './organisations/get-organisation.ts';
export { updateOrganisation } from './organisations/update-organisation.ts';
export { listLegalForms, listCountries, listSepaReturnReasons, listVatRates, listCivilities } from './organisations/reference-data.ts';

export * from './members/members.schema.ts';
export { listMembers } from './members/list-members.ts';
export { changeMemberRole } from './members/change-member-role.ts';
export { removeMember } from './members/remove-member.ts';

export * from './invitations/invitations.schema.ts';
export { createInvitation } from './invitations/create-invitation.ts';
export { listInvitations } from './invitations/list-invitations.ts';
export { revokeInvitation } from './invitations/revoke-invitation.ts';
export { acceptInvitation, previewInvitation } from './invitations/accept-invitation.ts';

export { seedDemo, DEMO_LOGIN } from './demo/seed-demo.ts';

export * from './clients/clients.schema.ts';
export { createClient, findDuplicateClients, type DuplicateCandidate } from './clients/create-client.ts';
export { getClient, updateClient, archiveClient, restoreClient } from './clients/manage-client.ts';
export { listClients } from './clients/list-clients.ts';
export { mergeClients } from './clients/merge-clients.ts';
export { exportClientData, anonymiseClient } from './clients/client-gdpr.ts';
export { CLIENT_CSV_COLUMNS, clientCsvCells, csvCell, csvLine, exportClientsCsv } from './clients/export-clients.ts';
export { toClientView, type ClientView } from './clients/client-view.ts';
export { fold } from './shared/text.ts';
export { parsePhone } from './shared/phone-numbers.ts';
export { addClientContact, listClientContacts, removeClientContact, updateClientContact, toContactView, type ClientContactView } from './clients/client-contacts.ts';
export { displayPhone, nationalPhone, OVERSEAS_PREFIXES } from './shared/french-numbering.ts';
export * from './client-imports/client-imports.schema.ts';
export { MAX_IMPORT_BYTES, CsvParser, decodeCsv, detectDelimiter, parseCsv } from './shared/csv.ts';
export { ImportFileInspector, inspectImportFile, type InspectedImportFile } from './client-imports/import-file.ts';
export { CONTACT_FIELDS, IMPORT_FIELDS, IMPORT_FIELD_NAMES, suggestMapping, type ImportField, type ImportMapping, type ImportRowError } from './client-imports/import-fields.ts';
export { storeClientImport, uploadClientImport } from './client-imports/upload-client-import.ts';
export { dryRunClientImport } from './client-imports/dry-run-client-import.ts';
export { startClientImport } from './client-imports/start-client-import.ts';
export { getClientImport, listClientImports } from './client-imports/read-client-imports.ts';
export { runClientImport, runNextClientImport, type ImportRunResult } from './client-imports/run-client-import.ts';
export { derivedColumns } from './clients/client-view.ts';
export * from './calendar/business-days.ts';
export * from './calendar/calendar.ts';
export * from './appointments/appointments.schema.ts';
export * from './appointments/paris-time.ts';
export { type AppointmentView } from './appointments/appointment-view.ts';
export { findOverlaps, type AppointmentOverlap } from './appointments/find-overlaps.ts';
export { createAppointment } from './appointments/create-appointment.ts';
export { updateAppointment } from './appointments/update-appointment.ts';
export { cancelAppointment } from './appointments/cancel-appointment.ts';
export { listAppointments, getAppointment } from './appointments/list-appointments.ts';
export { renderICalendar, escapeIcsText, foldIcsLine, type IcsEvent } from './appointments/ics.ts';
export { getMyCalendarFeed, rotateMyCalendarFeed, readCalendarFeed, calendarFeedPath } from './appointments/calendar-feed.ts';
export * from './products/products.schema.ts';
export { createProduct, updateProduct, changeProductPrice, getProduct, listProducts } from './products/products.ts';
export { priceForPeriod, type BillingFrequency } from './products/price-per-period.ts';
export * from './lists/tenant-lists.ts';
export * from './activities/activities.schema.ts';
export { type ActivityView, type TaskBucket } from './activities/activity-view.ts';
export { createActivity } from './activities/create-activity.ts';
export { updateActivity } from './activities/update-activity.ts';
export { completeActivity, reopenActivity } from './activities/complete-activity.ts';
export { deleteActivity } from './activities/delete-activity.ts';
export { listClientActivities } from './activities/list-client-activities.ts';
export { listMyTasks } from './activities/list-my-tasks.ts';
export * from './clients/client-timeline.ts';
export * from './sales-reps/sales-reps.schema.ts';
export { toSalesRepView, type SalesRepView } from './sales-reps/sales-rep-view.ts';
export { createSalesRep } from './sales-reps/create-sales-rep.ts';
export { updateSalesRep } from './sales-reps/update-sales-rep.ts';
export { listSalesReps, getSalesRep } from './sales-reps/list-sales-reps.ts';
export { setSalesRepTarget } from './sales-reps/set-sales-rep-target.ts';
export { reassignClients } from './sales-reps/reassign-clients.ts';
export * from './payments/payments.schema.ts';
export {
  planSchedule,
  periodAmountCents,
  dueDateFor,
  contractEndDate,
  addMonths,
  calendarPeriodOf,
  cutPeriodAt,
  catchUpDueDate,
  type PlannedPeriod,
  type ScheduleLine,
} from './payments/schedule-rules.ts';
export { createContractSchedule, cancelItemsAfter, cancelPlannedItems } from './payments/create-schedule.ts';
export { endScheduleAt, rescheduleHeldItems } from './payments/adjust-schedule.ts';
export { paymentsOnEvent } from './payments/payments-on-event.ts';
export { listMandates, getMandate, amendMandate, revokeMandate, expireDormantMandates, MANDATE_DORMANCY_MONTHS, mandateLapseDate, isLapsedFor, earliestUsableLastUse, SCHEME_CHANGE_REFUSED, type MandateView } from './payments/mandates.ts';
export { selectBatchItems, assertCollectionDate, BANK_CUT_OFF_BUSINESS_DAYS, type BatchSelection, type ExcludedItem } from './payments/batch-selection.ts';
export { previewBatch, buildBatch, endToEndIdOf } from './payments/build-batch.ts';
export { sepaDebitOf, sepaCreditorOf } from './payments/batch-file.ts';
export { listBatches, getBatch, getBatchFile, markBatchSent, cancelBatch, type BatchView } from './payments/manage-batches.ts';
export { renderBatchFile } from './payments/batch-file.ts';
export { listPayments, listScheduleItems, getContractSchedule, type ScheduleItemView } from './payments/list-payments.ts';
export { recordManualPayment } from './payments/record-manual-payment.ts';
export { settleUnansweredDebits, settleUnansweredDebitsFor } from './payments/settle-unanswered-debits.ts';
export { PAYMENTS_HOUSEKEEPING_JOB } from './payments/payments-housekeeping.ts';
export * from './jobs/job-deps.ts';
export * from './jobs/job-kind.ts';
export * from './subscribers/job-registry.ts';
export * from './jobs/recurrence.ts';
export * from './jobs/schedule-job.ts';
export * from './jobs/run-due-jobs.ts';
export * from './subscribers/list-timed-jobs.ts';
export * from './jobs/job-backlog.ts';
export { importBankReturns, importBankReturnsBase64, listReturnFiles, getReturnFile, MAX_RETURN_FILE_BYTES, type ReturnReport } from './payments/import-returns.ts';
export { toSepaText, isSepaText, sepaIdentifierProblem } from './sepa/sepa-charset.ts';
export * from './sepa/sepa-identifiers.ts';
export * from './sepa/sepa.schema.ts';
export { buildSepaDirectDebitFile, prepareSepaDirectDebitFile } from './sepa/sepa-direct-debit-file.ts';
export { paymentInfoKey, SEPA_SEQUENCE_TYPES, SEPA_LOCAL_INSTRUMENTS, type SepaPainVersion, type SepaSequenceType, type SepaLocalInstrument, type SepaPostalAddress, type SepaMandateAmendment, type SepaDebtor, type SepaDirectDebit, type SepaCreditor, type SepaDirectDebitFileInput, type SepaPaymentInfoSummary, type SepaDirectDebitFileSummary, type SepaDirectDebitFile } from './sepa/sepa-direct-debit-types.ts';
export { SEPA_FILE_CHUNK_DEBITS } from './sepa/sepa-xml-writer.ts';
export { sepaAddressRequired, isEeaCountry, splitStreetLine, toSepaPostalAddress, type StoredAddress } from './sepa/sepa-address.ts';
export { parseBankReturnFile } from './sepa/bank-returns.ts';
export { RETURN_CSV_COLUMNS } from './sepa/bank-return-csv.ts';
export { parseAmountCents, type BankReturnFile, type BankReturnFileKind, type BankReturnLine, type BankReturnStatus, type BankReturnBlockStatus, type BankReturnProblem } from './sepa/bank-return-types.ts';
export * from './sepa/sepa-reason-codes.ts';
export * from './contracts/contracts.schema.ts';
export { CONTRACT_STATUS_LABELS, lineTotals, contractTotals, type ContractView } from './contracts/contract-view.ts';
export { CONTRACT_TRANSITIONS, type ContractTransition } from './contracts/contract-state.ts';
export { normaliseDebtorIban } from './contracts/contract-draft.ts';
export { reserveCounter } from './shared/counters.ts';
export { createContract } from './contracts/create-contract.ts';
export { updateContract } from './contracts/update-contract.ts';
export { listContracts, getContract } from './contracts/list-contracts.ts';
export {
  sendContract,
  signContract,
  activateContract,
  suspendContract,
  resumeContract,
  terminateContract,
  cancelContract,
  withdrawContract,
} from './contracts/contract-transitions.ts';
export { SIGNATURE_CONSENT_TEXT } from './contracts/legal-texts.ts';
export { WITHDRAWAL_DAYS, withdrawalDeadline, withinWithdrawalPeriod, WITHDRAWAL_PERIOD_TEXT } from './contracts/withdrawal-period.ts';
export { nextTerm, renewalStepsDue, RENEWAL_LEAD_DAYS, type NextTerm } from './contracts/renewal-rules.ts';
export { renewContracts } from './contracts/renew-contracts.ts';
export { CONTRACT_RENEWALS_JOB } from './contracts/renewals-job.ts';
export { renderContractPdf, renderMandatePdf, sha256Hex, FREQUENCY_LABELS, PAYMENT_METHOD_LABELS, type ContractPdfData } from './contracts/contract-pdf.ts';
export { contractPdf, mandatePdf, verifySignedContract, signedContractFileName } from './contracts/contract-documents.ts';
export * from './documents/documents.schema.ts';
export * from './documents/document-content.ts';
export * from './documents/document-storage.ts';
export { DOCUMENT_STORAGE_ENV, checkDocumentStorageEnv, documentStorageFromEnv, type DocumentStorageEnv } from './documents/storage-env.ts';
export { type DocumentDeps, type DocumentView } from './documents/document-view.ts';
export { uploadDocument, storeGeneratedDocument } from './documents/upload-document.ts';
export { listDocuments } from './documents/list-documents.ts';
export { deleteDocument } from './documents/delete-document.ts';
export { downloadDocument } from './documents/download-document.ts';
export * from './invoices/invoices.schema.ts';
export type * from './invoices/invoice-document.ts';
export { invoiceArtefacts, type InvoiceArtefact } from './invoices/invoice-artefacts.ts';
export { INVOICE_STATUS_LABELS, vatBreakdown, invoiceTotals, settledStatus, formatInvoiceNumber } from './invoices/invoice-rules.ts';
export { missingMentions, type MissingMention } from './invoices/invoice-mentions.ts';
export { takeInvoiceNumber, DEFAULT_SERIES } from './invoices/invoice-series.ts';
export { buildInvoiceDocument, loadInvoiceFacts } from './invoices/invoice-snapshot.ts';
export { type InvoiceView } from './invoices/invoice-view.ts';
export { createInvoiceDraft } from './invoices/create-invoice-draft.ts';
export { updateInvoiceDraft } from './invoices/update-invoice-draft.ts';
export { deleteInvoiceDraft } from './invoices/delete-invoice-draft.ts';
export { draftInvoicesFromSchedule, draftInvoicesFromScheduleIn } from './invoices/draft-invoices-from-schedule.ts';
export { issueInvoice, issueInvoiceIn, type IssueContext } from './invoices/issue-invoice.ts';
export { createCreditNote } from './invoices/create-credit-note.ts';
export { listInvoices } from './invoices/list-invoices.ts';
export { getInvoice } from './invoices/get-invoice.ts';
export { getInvoiceSettings } from './invoices/get-invoice-settings.ts';
export { updateInvoiceSettings } from './invoices/update-invoice-settings.ts';
export { invoicesOnEvent } from './invoices/settle-invoice.ts';
export { ISSUE_DUE_INVOICES_JOB } from './invoices/issue-due-invoices.ts';
export * from './einvoicing/einvoicing.schema.ts';
export * from './platform/platform-port.ts';
export { HttpPlatform, platformFromEnv } from './platform/http-platform.ts';
export { submitInvoiceToPlatform, NO_PLATFORM_MESSAGE, type PlatformDeps } from './einvoicing/submit-invoice-to-platform.ts';
export { refreshInvoiceTransmissions, refreshTransmissionsIn } from './einvoicing/refresh-invoice-transmissions.ts';
export { getInvoiceTransmission } from './einvoicing/get-invoice-transmission.ts';
export { REFRESH_TRANSMISSIONS_JOB } from './einvoicing/refresh-transmissions-job.ts';
export { type TransmissionView } from './einvoicing/transmission-view.ts';
export { mergeHistory } from './einvoicing/transmission-history.ts';
export { allocate, salesGroups, loadIssuedInPeriod } from './einvoicing/sales-breakdown.ts';
export { exportAccountingJournal, fecText, journalEntry, fecAmount, FEC_COLUMNS, ACCOUNTS } from './einvoicing/accounting-journal.ts';
export { exportEReporting, salesAggregates, servicesShares, E_REPORTING_FORMAT } from './einvoicing/e-reporting.ts';
export { mailClientOnEvent, SignedContractNotStoredYet } from './client-mail/client-mail-on-event.ts';
export { storeSignedContract, storeSignedContractOnEvent } from './contracts/store-signed-contract.ts';
export * from './client-mail/mail-log.schema.ts';
export { listMailLog, MAIL_STATUS_LABELS, type MailLogView } from './client-mail/mail-log.ts';
export { resendMail } from './client-mail/resend-mail.ts';
export { exportAuditTrail, AUDIT_TRAIL_COLUMNS } from './einvoicing/audit-trail.ts';
export { sendInvoiceByMail } from './client-mail/send-invoice-by-mail.ts';

// The users' own mail accounts (issue 15 §2): connection, encryption of their secrets, sending credentials.
export * from './mail-accounts/mail-accounts.schema.ts';
export * from './mail-accounts/mail-accounts-env.ts';
export { completeMailConnection, connectSmtpAccount, disconnectMailConnection, listMailConnections, setMailSender, startMailConnection, type MailAccountsDeps } from './mail-accounts/mail-connections.ts';
export { accountCredentials, markReauthRequired, MailConnectionUnavailable, type AccountCredentials } from './mail-accounts/account-credentials.ts';
export { emailFromIdToken, exchangeAuthorizationCode, InvalidGrantError, OAuthTokenError, refreshAccessToken } from './mail-accounts/oauth-client.ts';
export { decryptConnectionSecret, encryptConnectionSecret, mailKeyringFrom, MailKeyError, masterKeyFrom, newMasterKeyText, openSecret, sealSecret, type MailKeyring, type MasterKey, type SecretRef } from './mail-accounts/secret-box.ts';
export { rotateMailKeysOfAllTenants, type MailKeyRotationReport } from './mail-accounts/rotate-mail-keys.ts';

// Mail templates: the organisation's wording of its automated mail (issue 15 §2).
export * from './client-mail/mail-templates.schema.ts';
export { listMailTemplates, previewMailTemplate, resetMailTemplate, updateMailTemplate } from './client-mail/mail-templates.ts';
export { renderTemplate } from './client-mail/render-template.ts';
export { MAIL_TEMPLATES, MAIL_TEMPLATE_KEYS, type MailTemplateKey } from './client-mail/template-defaults.ts';
