-- Customer evaluations (return visits, 回访): one per closed case. The evaluation module (assessment/
-- evaluations*.ts, migration 0019) writes it; the satisfaction indicator of the scorecards reads it.
-- Both migrations create it with IF NOT EXISTS, with the same columns.
CREATE TABLE IF NOT EXISTS case_evaluation (
  id                    bigserial PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  bpmn_process_id       text NOT NULL,
  business_key          text,
  department_id         text,          -- the department responsible for the case (NULL when unknown)
  customer_class        text,
  area                  text,
  channel               text NOT NULL CHECK (channel IN ('phone', 'link')),
  satisfaction          smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),  -- 4 and 5 count as satisfied
  expected_minutes      integer CHECK (expected_minutes >= 0),   -- how long the customer expected it to take
  perceived_minutes     integer CHECK (perceived_minutes >= 0),  -- how long it felt to the customer
  comment               text CHECK (char_length(comment) <= 2000),
  recorded_by           text,          -- staff username, NULL for the customer's own link
  closed_at             timestamptz,   -- when the case closed
  recorded_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (process_instance_key)
);
CREATE INDEX IF NOT EXISTS assessment_case_evaluation_recorded ON case_evaluation (recorded_at);
