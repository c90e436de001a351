-- Customer evaluation (回访评价, README "Customer evaluation and the gap view"): one record per case,
-- written by the return visit on the phone (the completion of a return-visit user task, below) or by
-- the customer through a one-time link (assessment/evaluations-link.ts), or corrected by staff
-- through POST /api/evaluations.
--
-- case_evaluation is also created by the assessment module's 0018 (the same definition); here it is
-- IF NOT EXISTS so that this migration stands on its own.
CREATE TABLE IF NOT EXISTS case_evaluation (
  id                    bigserial PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  bpmn_process_id       text NOT NULL,
  business_key          text,
  department_id         text,
  customer_class        text,
  area                  text,
  channel               text NOT NULL CHECK (channel IN ('phone', 'link')),
  satisfaction          smallint NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),  -- 4 and 5 count as satisfied
  expected_minutes      integer CHECK (expected_minutes >= 0),   -- how long the customer expected it to take
  perceived_minutes     integer CHECK (perceived_minutes >= 0),  -- how long it felt to the customer
  comment               text CHECK (char_length(comment) <= 2000),
  recorded_by           text,
  closed_at             timestamptz,
  recorded_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (process_instance_key)
);
CREATE INDEX IF NOT EXISTS case_evaluation_closed ON case_evaluation (closed_at);

-- Which user tasks are return visits (回访): completing one writes the case's phone evaluation.
-- Data, so that a new process's return visit is one row (administrators, SQL).
CREATE TABLE evaluation_task (
  bpmn_process_id  text NOT NULL,
  element_id       text NOT NULL,
  PRIMARY KEY (bpmn_process_id, element_id)
);
INSERT INTO evaluation_task (bpmn_process_id, element_id) VALUES
  ('business-expansion', 'return-visit'),
  ('fault-repair', 'return-visit'),
  ('complaint', 'return-visit');

-- One-time evaluation links (/e/<token>) sent to the customer by SMS when a case closes. Only the
-- SHA-256 of the token is stored: a database reader cannot use the links, and a lookup by hash
-- compares no secret byte by byte. One link per case.
CREATE TABLE evaluation_link (
  id                    bigserial PRIMARY KEY,
  token_hash            bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
  process_instance_key  bigint NOT NULL UNIQUE,
  bpmn_process_id       text NOT NULL,
  business_key          text,
  customer_message_id   bigint,
  created_at            timestamptz NOT NULL DEFAULT now(),
  expires_at            timestamptz NOT NULL,
  used_at               timestamptz,
  CHECK (expires_at > created_at)
);

-- A score 1–5 from a return-visit form: a number field (satisfactionScore, else perceivedScore) when
-- given, else the three-level select `satisfaction`: 满意 5, 基本满意 4, 不满意 2 (4 and 5 count as
-- satisfied). NULL when neither is there.
CREATE FUNCTION evaluation_score(vars jsonb) RETURNS smallint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n numeric;
  k text;
BEGIN
  FOREACH k IN ARRAY ARRAY['satisfactionScore', 'perceivedScore'] LOOP
    IF jsonb_typeof(vars->k) = 'number' THEN
      n := round((vars->>k)::numeric);
      IF n BETWEEN 1 AND 5 THEN RETURN n::smallint; END IF;
    END IF;
  END LOOP;
  RETURN CASE vars->>'satisfaction'
    WHEN 'satisfied' THEN 5
    WHEN 'basically' THEN 4
    WHEN 'basically-satisfied' THEN 4
    WHEN 'unsatisfied' THEN 2
  END;
END
$$;

-- A duration the customer named, in minutes: <base>Minutes, else <base>Hours × 60, else <base>Days × 1440
-- (natural days). NULL when absent, not a number, negative or beyond a year.
CREATE FUNCTION evaluation_minutes(vars jsonb, base text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  unit record;
  n numeric;
BEGIN
  FOR unit IN SELECT * FROM (VALUES ('Minutes', 1), ('Hours', 60), ('Days', 1440)) AS u(suffix, factor) LOOP
    IF jsonb_typeof(vars->(base || unit.suffix)) = 'number' THEN
      n := (vars->>(base || unit.suffix))::numeric * unit.factor;
      IF n >= 0 AND n <= 525600 THEN RETURN round(n)::integer; END IF;
      RETURN NULL;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

-- The department a case counts for (its evaluation and its row in the gap view): the process
-- variable handlingDept when it names a department (complaints), else the department whose element
-- clocks in the case took the longest (met or late, not cancelled), leaving out hub departments
-- (营销部 coordinates every case) and return-visit steps (95598 calls every customer); else the
-- first department of any clock of the case. NULL for a case without clocks. Set-based for many
-- cases at once (the gap view); evaluation_case_department(key) for one.
CREATE FUNCTION evaluation_case_departments(pis bigint[]) RETURNS TABLE (process_instance_key bigint, department_id text)
LANGUAGE sql STABLE AS $$
  WITH handling AS (
    SELECT v.scope_key AS pi, d.id FROM variable v JOIN department d ON d.id = v.value #>> '{}'
     WHERE v.scope_key = ANY (pis) AND v.name = 'handlingDept' AND jsonb_typeof(v.value) = 'string'
  ),
  longest AS (
    SELECT DISTINCT ON (pi) pi, dep FROM (
      SELECT c.process_instance_key AS pi, c.departments[1] AS dep, sum(extract(epoch FROM c.ended_at - c.started_at)) AS took
        FROM sla_clock c
       WHERE c.process_instance_key = ANY (pis) AND c.kind = 'element' AND c.outcome IN ('met', 'late')
         AND cardinality(c.departments) > 0
         AND NOT EXISTS (SELECT 1 FROM department h WHERE h.id = c.departments[1] AND h.is_hub)
         AND NOT EXISTS (SELECT 1 FROM evaluation_task t WHERE t.bpmn_process_id = c.bpmn_process_id AND t.element_id = c.element_id)
       GROUP BY 1, 2) x
     ORDER BY pi, took DESC, dep
  ),
  first AS (
    SELECT DISTINCT ON (c.process_instance_key) c.process_instance_key AS pi, c.departments[1] AS dep
      FROM sla_clock c WHERE c.process_instance_key = ANY (pis) AND cardinality(c.departments) > 0
     ORDER BY c.process_instance_key, c.started_at, c.key
  )
  SELECT k.pi, coalesce(h.id, l.dep, f.dep)
    FROM unnest(pis) AS k(pi)
    LEFT JOIN handling h ON h.pi = k.pi LEFT JOIN longest l ON l.pi = k.pi LEFT JOIN first f ON f.pi = k.pi
$$;

CREATE FUNCTION evaluation_case_department(pik bigint) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT department_id FROM evaluation_case_departments(ARRAY[pik])
$$;

-- Writes or replaces a case's evaluation. Precedence: the customer's own word (channel 'link')
-- replaces anything; a phone record replaces an earlier phone record (a reopened complaint's second
-- return visit is the final one) but never the customer's own. Returns false when nothing was written.
CREATE FUNCTION evaluation_record(pik bigint, ch text, score smallint, expected integer, perceived integer,
                                  note text, by_user text, at timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  pi   process_instance%ROWTYPE;
  vars jsonb;
  n    integer;
BEGIN
  SELECT * INTO pi FROM process_instance WHERE key = pik;
  SELECT coalesce(jsonb_object_agg(name, value), '{}'::jsonb) INTO vars FROM variable WHERE scope_key = pik;
  INSERT INTO case_evaluation AS e (process_instance_key, bpmn_process_id, business_key, department_id, customer_class, area,
                                    channel, satisfaction, expected_minutes, perceived_minutes, comment, recorded_by,
                                    closed_at, recorded_at)
  VALUES (pik, coalesce(pi.bpmn_process_id, '?'),
          left(vars->>'businessKey', 100), evaluation_case_department(pik),
          left(vars->>'customerClass', 50), left(vars->>'area', 50),
          ch, score, expected, perceived, left(note, 2000), by_user,
          coalesce(pi.end_date, at), at)
  ON CONFLICT (process_instance_key) DO UPDATE
     SET channel = EXCLUDED.channel, satisfaction = EXCLUDED.satisfaction, expected_minutes = EXCLUDED.expected_minutes,
         perceived_minutes = EXCLUDED.perceived_minutes, comment = EXCLUDED.comment, recorded_by = EXCLUDED.recorded_by,
         department_id = EXCLUDED.department_id, closed_at = EXCLUDED.closed_at, recorded_at = EXCLUDED.recorded_at,
         business_key = coalesce(EXCLUDED.business_key, e.business_key), customer_class = coalesce(EXCLUDED.customer_class, e.customer_class),
         area = coalesce(EXCLUDED.area, e.area)
   WHERE EXCLUDED.channel = 'link' OR e.channel = 'phone';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n > 0;
END
$$;

-- The phone return visit: a return-visit user task (evaluation_task) completed writes the case's
-- evaluation from the completion's variables, in the transaction of the engine's projection
-- (engine_record_events). Runs once per task (the state changes to COMPLETED once). A completion
-- without a usable score writes nothing; an unexpected failure is logged as a warning and never
-- blocks the projection of the instance.
CREATE FUNCTION evaluation_from_user_task() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  vars  jsonb := coalesce(NEW.completed_variables, '{}'::jsonb);
  score smallint;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM evaluation_task WHERE bpmn_process_id = NEW.bpmn_process_id AND element_id = NEW.element_id) THEN
    RETURN NULL;
  END IF;
  BEGIN
    score := evaluation_score(vars);
    IF score IS NOT NULL THEN
      PERFORM evaluation_record(NEW.process_instance_key, 'phone', score,
        evaluation_minutes(vars, 'expected'), evaluation_minutes(vars, 'perceived'),
        nullif(coalesce(vars->>'visitNote', vars->>'comment'), ''), NEW.assignee, coalesce(NEW.completion_date, now()));
    END IF;
  EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'evaluation of user task % not recorded: % %', NEW.key, SQLSTATE, SQLERRM;
  END;
  RETURN NULL;
END
$$;

CREATE TRIGGER user_task_evaluation AFTER UPDATE OF state ON user_task
  FOR EACH ROW WHEN (NEW.state = 'COMPLETED' AND OLD.state IS DISTINCT FROM 'COMPLETED')
  EXECUTE FUNCTION evaluation_from_user_task();
