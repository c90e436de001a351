-- Synthetic history for bench/assessment/run.ts: :cases cases of the three service processes over
-- ten months (2026-01 … 2026-10, China time), their SLA clocks and events, send-backs and reopenings
-- (hub_item), return-visit evaluations and a few exemptions. Deterministic (arithmetic on the case number, no random()). Keys start at
-- 8e15 so they never meet the engine's own. Parameters are psql-style placeholders replaced by the
-- script: __CASES__, __FROM__ (first case), __TO__ (last case, inclusive).

-- One row per case of this batch.
CREATE TEMP TABLE bench_case (
  i bigint, key bigint, process text, area text, customer_class text, handling text,
  start_at timestamptz, end_at timestamptz, completed boolean, reworked boolean
) ON COMMIT DROP;

INSERT INTO bench_case
SELECT i,
       8000000000000000 + i,
       CASE WHEN i % 20 < 12 THEN 'fault-repair' WHEN i % 20 < 15 THEN 'business-expansion' ELSE 'complaint' END,
       (ARRAY['urban', 'urban', 'rural', 'remote'])[1 + (i * 7 % 4)],
       (ARRAY['lv-residential', 'lv-residential', 'lv-nonresidential', 'hv-single', 'hv-dual'])[1 + (i * 3 % 5)],
       (ARRAY['customer-service', 'operations', 'metering', 'station-urban', 'station-rural'])[1 + (i * 11 % 5)],
       s, s + interval '1 hour' * (2 + (i * 13 % 200)),
       (i % 33) <> 0,
       (i % 12) = 0
  FROM (SELECT i, timestamptz '2026-01-01 00:00+08' + interval '1 second' * ((i * 2654435761 % 26179200)) AS s
          FROM generate_series(__FROM__::bigint, __TO__::bigint) AS i) g;

INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state, start_date, end_date, last_seq)
SELECT key, 7000000000000000 + CASE process WHEN 'fault-repair' THEN 1 WHEN 'business-expansion' THEN 2 ELSE 3 END, process, 1,
       CASE WHEN completed THEN 'COMPLETED' ELSE 'ACTIVE' END, start_at, CASE WHEN completed THEN end_at END, 100
  FROM bench_case;

INSERT INTO variable (scope_key, name, process_instance_key, value)
SELECT key, v.name, key, v.value
  FROM bench_case,
       LATERAL (VALUES ('customerClass', to_jsonb(customer_class)), ('area', to_jsonb(area)),
                       ('handlingDept', to_jsonb(handling))) AS v(name, value);

-- The steps with a limit, per process: element, responsible department (NULL: the area's station,
-- or the complaint's handling department), limit (ms), working days or natural time, and whether
-- it is a span (own steps in total).
CREATE TEMP TABLE bench_step (process text, n int, element_id text, dept text, limit_ms bigint, time_base text, kind text) ON COMMIT DROP;
INSERT INTO bench_step VALUES
  ('fault-repair', 1, 'accept', 'customer-service', 600000, 'natural', 'element'),
  ('fault-repair', 2, 'dispatch', 'marketing', 900000, 'natural', 'element'),
  ('fault-repair', 3, 'arrive', NULL, 2700000, 'natural', 'element'),
  ('fault-repair', 4, 'restore', NULL, 10800000, 'natural', 'element'),
  ('business-expansion', 1, 'acceptance', 'marketing', 86400000, 'workingDays', 'element'),
  ('business-expansion', 2, 'survey', 'planning', 172800000, 'workingDays', 'element'),
  ('business-expansion', 3, 'supplyPlan', 'planning', 259200000, 'workingDays', 'element'),
  ('business-expansion', 4, 'meterInstall', 'metering', 259200000, 'workingDays', 'element'),
  ('business-expansion', 5, 'ownSteps', 'marketing', 1900800000, 'workingDays', 'span'),
  ('complaint', 1, 'contact', 'customer-service', 86400000, 'workingDays', 'element'),
  ('complaint', 2, 'handle', NULL, 604800000, 'workingDays', 'element'),
  ('complaint', 3, 'reply', 'marketing', 86400000, 'workingDays', 'element');

-- Clocks: each step starts where the one before ended (a share of them late).
CREATE TEMP TABLE bench_clock ON COMMIT DROP AS
SELECT c.key AS pik, c.i, c.process, c.area, c.customer_class, s.n, s.element_id, s.kind, s.limit_ms, s.time_base,
       coalesce(s.dept, CASE WHEN c.process = 'fault-repair' THEN 'station-' || c.area ELSE c.handling END) AS dept,
       c.start_at + interval '1 second' * ((s.n - 1) * s.limit_ms / 1000 * 0.6) AS started_at,
       -- used: 30 %–134 % of the limit; over 100 % is late
       (s.limit_ms * (0.3 + ((c.i * 31 + s.n * 17) % 105) / 100.0))::bigint AS used_ms,
       c.completed
  FROM bench_case c JOIN bench_step s ON s.process = c.process;

INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, span_id, element_id,
                       element_instance_key, name, business_key, customer_class, area, departments, assignee, policy_set, policy_key,
                       policy_version, duration_ms, time_base, calendar_id, status, outcome, warned_level, breached, started_at, due_at,
                       next_warning_at, used_ms, ended_at, updated_at)
SELECT CASE WHEN kind = 'span' THEN 'span:' || element_id || ':' || pik ELSE (pik * 10 + n)::text END,
       pik, 7000000000000000, process, 1, kind, CASE WHEN kind = 'span' THEN element_id END, element_id,
       pik * 10 + n, element_id, 'B-' || pik, customer_class, area, ARRAY[dept], 'user' || (i % 50), 'commitments-2023',
       process || '.' || element_id, 1, limit_ms, time_base, CASE WHEN time_base = 'natural' THEN NULL ELSE 'cn' END,
       CASE WHEN completed THEN 'ended' ELSE 'running' END,
       CASE WHEN NOT completed THEN NULL WHEN used_ms <= limit_ms THEN 'met' ELSE 'late' END,
       CASE WHEN used_ms >= limit_ms * 0.8 THEN 2 WHEN used_ms >= limit_ms * 0.5 THEN 1 ELSE 0 END,
       used_ms > limit_ms,
       started_at, started_at + interval '1 second' * (limit_ms / 1000), NULL, used_ms,
       CASE WHEN completed THEN started_at + interval '1 second' * (used_ms / 1000) END,
       started_at + interval '1 second' * (used_ms / 1000)
  FROM bench_clock;

-- Events: STARTED, WARNED at 50 % and 80 %, BREACHED at 100 %, then MET or LATE when ended.
INSERT INTO sla_event (process_instance_key, seq, clock_key, type, level, bpmn_process_id, version, element_id, element_instance_key,
                       span_id, business_key, customer_class, area, departments, assignee, policy_set, policy_key, policy_version, due_at, at)
SELECT pik, n * 10 + e.k,
       CASE WHEN kind = 'span' THEN 'span:' || element_id || ':' || pik ELSE (pik * 10 + n)::text END,
       e.type, e.level, process, 1, element_id, pik * 10 + n, CASE WHEN kind = 'span' THEN element_id END, 'B-' || pik,
       customer_class, area, ARRAY[dept], 'user' || (i % 50), 'commitments-2023', process || '.' || element_id, 1,
       started_at + interval '1 second' * (limit_ms / 1000),
       started_at + interval '1 second' * (e.at_ms / 1000)
  FROM bench_clock,
       LATERAL (VALUES (1, 'STARTED', NULL::int, 0::bigint, true),
                       (2, 'WARNED', 1, limit_ms / 2, used_ms >= limit_ms / 2),
                       (3, 'WARNED', 2, limit_ms * 8 / 10, used_ms >= limit_ms * 8 / 10),
                       (4, 'BREACHED', NULL, limit_ms, used_ms > limit_ms),
                       (5, CASE WHEN used_ms <= limit_ms THEN 'MET' ELSE 'LATE' END, NULL, used_ms, completed)) AS e(k, type, level, at_ms, happens)
 WHERE e.happens;

-- Send-backs and reopenings: one in twelve cases.
INSERT INTO hub_item (kind, process_instance_key, bpmn_process_id, element_id, element_instance_key, department, business_key, created_at, resolved_at, resolved_by)
SELECT CASE WHEN process = 'complaint' THEN 'reopened' ELSE 'send-back' END, key, process, 'raise', key * 10 + 9, 'marketing', 'B-' || key,
       start_at + interval '1 hour', CASE WHEN completed THEN end_at END, CASE WHEN completed THEN 'bench' END
  FROM bench_case WHERE reworked;

-- Return visits: three in five completed cases.
INSERT INTO case_evaluation (process_instance_key, bpmn_process_id, business_key, department_id, customer_class, area, channel, satisfaction,
                             expected_minutes, perceived_minutes, recorded_by, closed_at, recorded_at)
SELECT key, process, 'B-' || key, CASE WHEN process = 'fault-repair' THEN 'station-' || area ELSE handling END, customer_class, area,
       CASE WHEN i % 4 = 0 THEN 'link' ELSE 'phone' END, 1 + (i * 7 % 5), 60 + (i % 240), 30 + (i * 3 % 400), CASE WHEN i % 4 = 0 THEN NULL ELSE 'agent' END,
       end_at, end_at + interval '1 day'
  FROM bench_case WHERE completed AND i % 5 < 3;

-- Exemptions: one in fifty late clocks, approved by the hub.
INSERT INTO assessment_exemption (clock_key, process_instance_key, event_seq, breached_at, department_id, reason, filed_by, state, decided_by, decided_at)
SELECT CASE WHEN kind = 'span' THEN 'span:' || element_id || ':' || pik ELSE (pik * 10 + n)::text END, pik, n * 10 + 4,
       started_at + interval '1 second' * (limit_ms / 1000), dept, '报备：用户原因 / the customer asked to postpone', 'head', 'approved', 'hub',
       started_at + interval '1 second' * (limit_ms / 1000) + interval '1 day'
  FROM bench_clock WHERE used_ms > limit_ms AND (i + n) % 50 = 0;
