-- Company settings: values the processes read at run time (job type company.setting) that an
-- administrator changes without deploying a diagram again (PUT /api/company/settings/{key}). Like
-- the SLA policies, a rule of the company rather than a national commitment.
--   complaint.max-reopenings: how many times an unsatisfied customer may reopen a complaint (重办)
--   before company leadership takes it over (read by the complaint diagram before each check).
CREATE TABLE company_setting (
  key          text PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,126}$'),
  value        jsonb NOT NULL,
  name         text NOT NULL,
  updated_by   text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO company_setting (key, value, name, updated_by) VALUES
  ('complaint.max-reopenings', '2', '投诉重办次数上限（公司规定） / reopenings of a complaint before leadership takes it over (company rule)', 'migration 0021');
