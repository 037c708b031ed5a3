-- Traces reach the outgoing effects (issue 19): a queued mail keeps the W3C `traceparent` of
-- the span that queued it (the web request's procedure or the worker's handler run), as
-- outbox_events does, and the sender's span per delivery continues that trace. NULL when
-- tracing is off.

-- AlterTable
ALTER TABLE "system_mails" ADD COLUMN "trace_parent" TEXT;

-- AlterTable
ALTER TABLE "outgoing_effects" ADD COLUMN "trace_parent" TEXT;
