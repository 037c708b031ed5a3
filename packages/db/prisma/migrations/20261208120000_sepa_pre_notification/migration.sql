-- The debtor's SEPA pre-notification (EPC SDD Core rulebook: 14 calendar days before the debit
-- unless the parties agree otherwise), recorded on each schedule item: when it went, how (a mail
-- of its own, the invoice mail that carried it, or a task for a person to send it by post, sent
-- when that task is done), the amount and date it announced, and the mail that carried it.
-- effect/task ids are references for the record, not foreign keys: a person may delete a task,
-- and the item keeps what was announced.
ALTER TABLE schedule_items
  ADD COLUMN notice_sent_at timestamptz(3),
  ADD COLUMN notice_channel text,
  ADD COLUMN notice_amount_cents integer,
  ADD COLUMN notice_due_date date,
  ADD COLUMN notice_effect_id uuid,
  ADD COLUMN notice_task_id uuid,
  ADD CONSTRAINT schedule_items_notice_channel_check CHECK (notice_channel IN ('email', 'invoice', 'task'));

-- The organisation's contract terms: the schedule handed over at signature is the pre-notification
-- (no notice per debit needed), and how many days' notice a re-presentation gets (null: as a first
-- presentation).
ALTER TABLE organisations
  ADD COLUMN sepa_schedule_is_notice boolean NOT NULL DEFAULT false,
  ADD COLUMN sepa_representation_notice_days integer,
  ADD CONSTRAINT organisations_sepa_representation_notice_days_check CHECK (sepa_representation_notice_days BETWEEN 1 AND 30);
