-- The W3C traceparent of the span that wrote the event (the request's procedure, a handler, a
-- timed job), when tracing is on: the relay and the consumers continue that trace. Null when
-- tracing was off or for events written before this column.

-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN "trace_parent" TEXT;
