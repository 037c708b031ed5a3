// The business rules. One use case per file; this index is the package's whole surface.
export * from './shared/errors.ts';
export * from './shared/clock.ts';
export * from './shared/context.ts';
export * from './shared/identifiers.ts';
export * from './shared/identifiers.schema.ts';
export * from './shared/money.ts';
export * from './access/permissions.ts';
export * from './events/catalogue.ts';
export * from './events/emit-event.ts';
export * from './audit/record-audit.ts';
export * from './events/event-handlers.ts';
export * from './events/handle-event.ts';
export * from './events/event-operations.ts';
export * from './notifications/notification-types.ts';
export * from './notifications/notifications.schema.ts';
export * from './notifications/notifications.ts';
export { notifyOnEvent } from './notifications/notify-on-event.ts';
export { streamNotifications, type NotificationSignal } from './notifications/stream-notifications.ts';
export { projectEventOnDashboard, parisDay } from './dashboard/project-event.ts';
export * from './dashboard/get-daily-dashboard.ts';

export * from './auth/auth.schema.ts';
export * from './auth/tokens.ts';
export * from './auth/sessions.ts';
export { signUp } from './auth/sign-up.ts';
export { logIn } from './auth/log-in.ts';
export { refreshSession } from './auth/refresh-session.ts';
export { logOut } from './auth/log-out.ts';
export { getMe } from './auth/get-me.ts';
export { switchOrganisation } from './auth/switch-organisation.ts';
export { hashPassword, verifyPassword } from './auth/passwords.ts';
export { THROTTLE } from './auth/login-throttle.ts';

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
export { exportClientsCsv, csvCell } from './clients/export-clients.ts';
export { toClientView, fold, type ClientView } from './clients/client-view.ts';
export * from './calendar/business-days.ts';
export * from './calendar/calendar.ts';
export * from './products/products.schema.ts';
export { createProduct, updateProduct, changeProductPrice, getProduct, listProducts } from './products/products.ts';
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
