-- Supervision and assessment (监督考核; README, "Supervision and assessment"): assessment rules as
-- versioned data, exemptions (报备) of breaches, the areas each department serves and the customers
-- per area (complaints per thousand customers), and the stored monthly scorecards. Reads sla_clock,
-- sla_event (0014), hub_item (0015), process_instance, variable (0002), case_evaluation (0018).

-- Assessment rules, one row per version. The version in force at an instant is the one with the
-- latest valid_from at or before it (ties: the higher version). A version is never changed; an
-- administrator adds one (never with valid_from in the past, so a month once over keeps its rules).
CREATE TABLE assessment_rule_version (
  version      serial PRIMARY KEY,
  valid_from   timestamptz NOT NULL,
  rules        jsonb NOT NULL,
  comment      text CHECK (char_length(comment) <= 2000),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessment_rule_version_from ON assessment_rule_version (valid_from, version);

-- The default rule set (assessment/rules.ts describes the fields), in force from the beginning.
INSERT INTO assessment_rule_version (valid_from, rules, comment, created_by) VALUES (
  '2000-01-01T00:00:00+08:00',
  '{
     "breachPoints": [
       {"kind": "span", "points": 2},
       {"process": "complaint", "severity": "major", "points": 3},
       {"process": "complaint", "severity": "important", "points": 2},
       {"process": "complaint", "points": 1.5},
       {"points": 1}
     ],
     "rates": {
       "onTime":       {"target": 0.95, "step": 0.001, "points": 0.1},
       "firstTime":    {"target": 0.90, "step": 0.001, "points": 0.1},
       "satisfaction": {"target": 0.95, "step": 0.001, "points": 0.1},
       "bxCompliance": {"target": 0.95, "step": 0.001, "points": 0.1},
       "complaintsPerThousand": {"max": 0.5, "step": 0.1, "points": 1}
     },
     "caps": {"breaches": 20, "rates": 30, "total": 60}
   }'::jsonb,
  '默认规则 / default rules', 'system'
);

-- The areas a department serves (its customers, for complaints per thousand customers). A
-- department with no row serves no area of its own and is measured against every customer.
CREATE TABLE assessment_department_area (
  department_id  text NOT NULL,
  area           text NOT NULL CHECK (area IN ('urban', 'rural', 'remote')),
  PRIMARY KEY (department_id, area)
);
INSERT INTO assessment_department_area (department_id, area) VALUES
  ('station-urban', 'urban'), ('station-rural', 'rural'), ('station-remote', 'remote');

-- Customers per area as the marketing system counts them (户数). An area with no row counts its
-- customer_account rows instead (the demo has ten accounts, which would make every complaint 100 ‰).
CREATE TABLE assessment_area_customers (
  area        text PRIMARY KEY CHECK (area IN ('urban', 'rural', 'remote')),
  customers   integer NOT NULL CHECK (customers > 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO assessment_area_customers (area, customers) VALUES ('urban', 42000), ('rural', 26000), ('remote', 4000);

-- Exemptions (报备): a department files a reason for one breach (a clock's BREACHED event); the hub
-- approves or rejects it. An approved exemption takes the breach out of the score and the clock
-- out of the on-time rate. At most one exemption per clock that is pending or approved.
CREATE TABLE assessment_exemption (
  id                    bigserial PRIMARY KEY,
  clock_key             text NOT NULL,
  process_instance_key  bigint NOT NULL,
  -- the BREACHED event (sla_event's identity)
  event_seq             integer NOT NULL,
  breached_at           timestamptz NOT NULL,
  department_id         text,
  reason                text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
  filed_by              text NOT NULL,
  filed_at              timestamptz NOT NULL DEFAULT now(),
  state                 text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
  decided_by            text,
  decided_at            timestamptz,
  decision_note         text CHECK (char_length(decision_note) <= 2000)
);
CREATE UNIQUE INDEX assessment_exemption_active ON assessment_exemption (clock_key) WHERE state <> 'rejected';
CREATE INDEX assessment_exemption_approved ON assessment_exemption (clock_key) WHERE state = 'approved';
CREATE INDEX assessment_exemption_breached ON assessment_exemption (breached_at);
CREATE INDEX assessment_exemption_department ON assessment_exemption (department_id, filed_at);

-- Monthly scorecards, one row per month and department (month '2026-11' in China time), written
-- when a month is computed and replaced when it is recomputed.
CREATE TABLE assessment_scorecard (
  month          text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  department_id  text NOT NULL,
  score          numeric(6, 2) NOT NULL,
  rank           integer NOT NULL,
  rule_version   integer NOT NULL,
  indicators     jsonb NOT NULL,
  deductions     jsonb NOT NULL,
  computed_at    timestamptz NOT NULL DEFAULT now(),
  computed_by    text NOT NULL,
  PRIMARY KEY (month, department_id)
);

-- Indexes for the month's queries (set-based, by instant): ended clocks, breaches, closed cases.
CREATE INDEX sla_clock_ended_at ON sla_clock (ended_at) WHERE status = 'ended';
-- a department's drill-down (responsible department = first listed)
CREATE INDEX sla_clock_ended_department ON sla_clock ((departments[1]), ended_at) WHERE status = 'ended';
CREATE INDEX sla_event_breached_at ON sla_event (at) WHERE type = 'BREACHED';
CREATE INDEX process_instance_end_date ON process_instance (end_date) WHERE end_date IS NOT NULL;
CREATE INDEX process_instance_start_process ON process_instance (bpmn_process_id, start_date);
