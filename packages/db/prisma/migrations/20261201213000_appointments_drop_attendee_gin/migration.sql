-- The GIN index on appointments.attendee_user_ids was never used by the application: under
-- row-level security PostgreSQL evaluates the policy before any condition whose function is not
-- LEAKPROOF, and the array operators (&&, @>) are not, so the planner cannot put them in an
-- index scan for crm_app. Every appointment query is bounded by time and walks the
-- (tenant_id, starts_at) index instead (MAX_APPOINTMENT_DAYS keeps that range short). The
-- index only cost each write.
DROP INDEX "appointments_attendee_user_ids_idx";
