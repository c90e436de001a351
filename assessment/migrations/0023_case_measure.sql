-- The gap view's per-case rollup (assessment/gap.ts): each closed case's planned and given minutes,
-- its computed department, customer class and business key, written the first time a gap query
-- covers the case (and at least five minutes after it ended, when its clocks are all projected).
-- A completed case does not change, so a row never goes stale; the return visit (case_evaluation:
-- satisfaction, expected and perceived minutes, the department it names) is joined when read.
CREATE TABLE assessment_case_measure (
  process_instance_key bigint PRIMARY KEY,
  bpmn_process_id text NOT NULL,
  end_date timestamptz NOT NULL,
  department_id text,
  customer_class text,
  business_key text,
  planned double precision,
  given double precision,
  measured_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_case_measure_end ON assessment_case_measure (end_date, bpmn_process_id);
