-- SLA module: clocks of running instances, their events, and the notification outbox
-- (README, "Service-time limits (SLA)"). Written by the projection of the engine's SLA events
-- (sla_record_events, called by activities/projections.ts in the same transaction as the engine's
-- own events); read by the open-clocks and hub-queue APIs.

-- One row per clock: its current state. A clock measures one element instance (kind 'element',
-- key = the element instance key) or one span of a process (kind 'span', key 'span:<id>:<from key>').
CREATE TABLE sla_clock (
  key                    text PRIMARY KEY,
  process_instance_key   bigint NOT NULL,
  process_definition_key bigint NOT NULL,
  bpmn_process_id        text NOT NULL,
  version                integer NOT NULL,
  kind                   text NOT NULL CHECK (kind IN ('element', 'span')),
  span_id                text,
  element_id             text NOT NULL,
  element_instance_key   bigint NOT NULL,
  name                   text,
  business_key           text,
  customer_class         text,
  area                   text,
  departments            text[] NOT NULL DEFAULT '{}',
  assignee               text,
  policy_set             text,
  policy_key             text,
  policy_version         integer,
  duration_ms            bigint NOT NULL,
  time_base              text NOT NULL CHECK (time_base IN ('natural', 'workingDays', 'workingHours')),
  calendar_id            text,
  -- running | paused | ended
  status                 text NOT NULL CHECK (status IN ('running', 'paused', 'ended')),
  -- met | late (ended after its due instant) | cancelled; NULL while open
  outcome                text CHECK (outcome IN ('met', 'late', 'cancelled')),
  warned_level           integer NOT NULL DEFAULT 0,
  breached               boolean NOT NULL DEFAULT false,
  started_at             timestamptz NOT NULL,
  due_at                 timestamptz,
  next_warning_at        timestamptz,
  used_ms                bigint NOT NULL DEFAULT 0,
  ended_at               timestamptz,
  updated_at             timestamptz NOT NULL,
  -- the limit and plan as computed at the start (sla/resolve.ts): a retried start answers with them
  plan                   jsonb
);
CREATE INDEX sla_clock_open_due ON sla_clock (due_at) WHERE status <> 'ended';
CREATE INDEX sla_clock_open_departments ON sla_clock USING gin (departments) WHERE status <> 'ended';
CREATE INDEX sla_clock_instance ON sla_clock (process_instance_key);
CREATE INDEX sla_clock_element_instance ON sla_clock (element_instance_key);

-- Every transition of every clock, in order. (process_instance_key, seq) is the engine event's
-- identity: a retried projection writes nothing twice.
CREATE TABLE sla_event (
  process_instance_key   bigint NOT NULL,
  seq                    integer NOT NULL,
  clock_key              text NOT NULL,
  type                   text NOT NULL CHECK (type IN ('STARTED', 'WARNED', 'BREACHED', 'PAUSED', 'RESUMED', 'MET', 'LATE', 'CANCELLED')),
  level                  integer,
  bpmn_process_id        text NOT NULL,
  version                integer NOT NULL,
  element_id             text NOT NULL,
  element_instance_key   bigint NOT NULL,
  span_id                text,
  business_key           text,
  customer_class         text,
  area                   text,
  departments            text[] NOT NULL DEFAULT '{}',
  assignee               text,
  policy_set             text,
  policy_key             text,
  policy_version         integer,
  due_at                 timestamptz,
  at                     timestamptz NOT NULL,
  PRIMARY KEY (process_instance_key, seq)
);
CREATE INDEX sla_event_clock ON sla_event (clock_key, seq);
CREATE INDEX sla_event_at ON sla_event (at);

-- The outbox of notifications (urge 催办, breach, supervision order 督办, escalation, reassignment):
-- written here, in the transaction of what caused it; the local channel shows them in the
-- recipient's task list, a gateway (SMS, messaging) would deliver and stamp sent_at (sla/notify.ts).
CREATE TABLE notification (
  id                     bigserial PRIMARY KEY,
  kind                   text NOT NULL CHECK (kind IN ('urge', 'breach', 'supervision', 'escalation', 'reassign')),
  channel                text NOT NULL DEFAULT 'local',
  -- a user (username) or a department's members (department id); at least one
  recipient_user         text,
  recipient_department   text,
  title                  text NOT NULL,
  body                   text NOT NULL DEFAULT '',
  process_instance_key   bigint,
  user_task_key          bigint,
  clock_key              text,
  created_by             text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  sent_at                timestamptz,
  read_at                timestamptz,
  CHECK (recipient_user IS NOT NULL OR recipient_department IS NOT NULL)
);
CREATE INDEX notification_user ON notification (recipient_user, created_at) WHERE recipient_user IS NOT NULL;
CREATE INDEX notification_department ON notification (recipient_department, created_at) WHERE recipient_department IS NOT NULL;
CREATE INDEX notification_unsent ON notification (id) WHERE sent_at IS NULL;
CREATE INDEX notification_task ON notification (user_task_key) WHERE user_task_key IS NOT NULL;

-- Urges go to the assignee (else the task's candidate groups) and to the heads of the responsible departments.
CREATE FUNCTION sla_notify(kind text, clk sla_clock, title text, body text, at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  task_key bigint;
  assignee text;
  groups   text[];
BEGIN
  SELECT t.key, t.assignee, t.candidate_groups INTO task_key, assignee, groups
    FROM user_task t WHERE t.element_instance_key = clk.element_instance_key;
  IF assignee IS NOT NULL THEN
    INSERT INTO notification (kind, recipient_user, title, body, process_instance_key, user_task_key, clock_key, created_by, created_at)
    VALUES (kind, assignee, title, body, clk.process_instance_key, task_key, clk.key, 'sla', at);
  ELSIF task_key IS NOT NULL THEN
    INSERT INTO notification (kind, recipient_department, title, body, process_instance_key, user_task_key, clock_key, created_by, created_at)
    SELECT kind, g, title, body, clk.process_instance_key, task_key, clk.key, 'sla', at FROM unnest(groups) g;
  END IF;
  INSERT INTO notification (kind, recipient_user, title, body, process_instance_key, user_task_key, clock_key, created_by, created_at)
  SELECT DISTINCT kind, u.username, title, body, clk.process_instance_key, task_key, clk.key, 'sla', at
    FROM app_user u
   WHERE u.active AND u.role = 'dept_head' AND u.departments && clk.departments AND u.username IS DISTINCT FROM assignee;
END
$$;

-- Applies a batch of the engine's SLA events (type 'SLA') of one instance.
CREATE FUNCTION sla_record_events(meta jsonb, events jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  pi     bigint := (meta->>'processInstanceKey')::bigint;
  ev     jsonb;
  t      text;
  at     timestamptz;
  due    timestamptz;
  nxt    timestamptz;
  ei     bigint;
  who    text;
  clk    sla_clock;
  label  text;
BEGIN
  FOR ev IN SELECT value FROM jsonb_array_elements(events) LOOP
    t   := ev->>'transition';
    at  := to_timestamp((ev->>'at')::double precision / 1000);
    due := to_timestamp((ev->>'dueAt')::double precision / 1000);
    nxt := to_timestamp((ev->>'nextWarningAt')::double precision / 1000);
    ei  := (ev->>'elementInstanceKey')::bigint;
    SELECT assignee INTO who FROM user_task WHERE element_instance_key = ei;

    INSERT INTO sla_event (process_instance_key, seq, clock_key, type, level, bpmn_process_id, version, element_id, element_instance_key,
                           span_id, business_key, customer_class, area, departments, assignee, policy_set, policy_key, policy_version,
                           due_at, at)
    VALUES (pi, (ev->>'seq')::int, ev->>'clockKey', t, (ev->>'level')::int, meta->>'bpmnProcessId', (meta->>'processDefinitionVersion')::int,
            ev->>'elementId', ei, ev->>'spanId', ev->'subject'->>'businessKey', ev->'subject'->>'customerClass', ev->'subject'->>'area',
            ARRAY(SELECT jsonb_array_elements_text(coalesce(ev->'departments', '[]'::jsonb))), who,
            ev->'policy'->>'set', ev->'policy'->>'key', (ev->'policy'->>'version')::int, due, at)
    ON CONFLICT (process_instance_key, seq) DO NOTHING;
    IF NOT FOUND THEN
      CONTINUE; -- applied by an earlier attempt of this batch
    END IF;

    IF t = 'STARTED' THEN
      INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, span_id, element_id,
                             element_instance_key, name, business_key, customer_class, area, departments, assignee, policy_set, policy_key,
                             policy_version, duration_ms, time_base, calendar_id, status, started_at, due_at, next_warning_at, updated_at, plan)
      VALUES (ev->>'clockKey', pi, (meta->>'processDefinitionKey')::bigint, meta->>'bpmnProcessId', (meta->>'processDefinitionVersion')::int,
              ev->>'clockKind', ev->>'spanId', ev->>'elementId', ei, ev->>'name', ev->'subject'->>'businessKey',
              ev->'subject'->>'customerClass', ev->'subject'->>'area',
              -- a task routed by FEEL (e.g. to the area's supply station) is its candidate groups' responsibility
              CASE WHEN jsonb_array_length(coalesce(ev->'departments', '[]'::jsonb)) > 0
                   THEN ARRAY(SELECT jsonb_array_elements_text(ev->'departments'))
                   ELSE coalesce((SELECT candidate_groups FROM user_task WHERE element_instance_key = ei), '{}') END, who,
              ev->'policy'->>'set', ev->'policy'->>'key', (ev->'policy'->>'version')::int, (ev->>'durationMs')::bigint, ev->>'timeBase',
              ev->>'calendarId', 'running', coalesce(to_timestamp((ev->>'startedAt')::double precision / 1000), at), due, nxt, at, ev->'plan')
      ON CONFLICT (key) DO NOTHING;
      CONTINUE;
    END IF;

    UPDATE sla_clock
       SET updated_at = at, assignee = coalesce(who, assignee),
           departments = CASE WHEN cardinality(departments) > 0 THEN departments
                              ELSE coalesce((SELECT candidate_groups FROM user_task WHERE element_instance_key = ei), '{}') END
     WHERE key = ev->>'clockKey' RETURNING * INTO clk;
    IF NOT FOUND THEN
      CONTINUE;
    END IF;
    label := coalesce(clk.name, clk.element_id);

    CASE t
    WHEN 'WARNED' THEN
      UPDATE sla_clock SET warned_level = greatest(warned_level, (ev->>'level')::int), next_warning_at = nxt WHERE key = clk.key;
      PERFORM sla_notify('urge', clk, '催办：' || label || ' 即将超时',
        '“' || label || '”将于 ' || to_char(clk.due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 到期（预警级别 '
        || (ev->>'level') || '）。', at);
    WHEN 'BREACHED' THEN
      UPDATE sla_clock SET breached = true, next_warning_at = NULL WHERE key = clk.key;
      -- the hub sees a breached task whatever its candidate groups (server/auth/visibility.ts)
      UPDATE user_task SET escalated = true WHERE element_instance_key = clk.element_instance_key;
      PERFORM sla_notify('breach', clk, '超时：' || label,
        '“' || label || '”已超过时限（到期 ' || to_char(clk.due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || '）。', at);
      INSERT INTO notification (kind, recipient_department, title, body, process_instance_key, user_task_key, clock_key, created_by, created_at)
      SELECT 'breach', d.id, '超时：' || label, '流程 ' || clk.bpmn_process_id || ' 实例 ' || clk.process_instance_key || ' 的“' || label || '”已超时。',
             clk.process_instance_key, (SELECT key FROM user_task WHERE element_instance_key = clk.element_instance_key),
             clk.key, 'sla', at
        FROM department d WHERE d.is_hub;
    WHEN 'PAUSED' THEN
      UPDATE sla_clock SET status = 'paused', used_ms = (ev->>'usedMs')::bigint, next_warning_at = NULL WHERE key = clk.key;
    WHEN 'RESUMED' THEN
      UPDATE sla_clock SET status = 'running', used_ms = (ev->>'usedMs')::bigint, due_at = due, next_warning_at = nxt WHERE key = clk.key;
    WHEN 'MET', 'LATE', 'CANCELLED' THEN
      UPDATE sla_clock
         SET status = 'ended', ended_at = at, next_warning_at = NULL, used_ms = coalesce((ev->>'usedMs')::bigint, used_ms),
             outcome = CASE WHEN t = 'CANCELLED' THEN 'cancelled' WHEN breached THEN 'late' ELSE 'met' END
       WHERE key = clk.key;
    ELSE
      RAISE EXCEPTION 'sla_record_events: unknown transition %', t;
    END CASE;
  END LOOP;
END
$$;
