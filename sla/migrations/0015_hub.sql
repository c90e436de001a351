-- The marketing hub (营销部): the actions its coordinators take on tasks, the items diagrams raise
-- into its queue, and the per-user read state of notifications (README, "Marketing hub queue").
-- Written by sla/hub.ts and sla/notify.ts; sla_clock and sla_event (0014) are only read.

-- Every action of the hub on a task (urge 催办, reassign 转派, supervise 督办, escalate 升级) and every
-- item a diagram raised (raise): who, on what, to whom, with which comment and limit.
CREATE TABLE hub_action (
  id                     bigserial PRIMARY KEY,
  kind                   text NOT NULL CHECK (kind IN ('urge', 'reassign', 'supervise', 'escalate', 'raise')),
  user_task_key          bigint,
  process_instance_key   bigint NOT NULL,
  clock_key              text,
  hub_item_id            bigint,
  actor                  text NOT NULL,
  target_department      text,
  target_user            text,
  -- escalate: 'department-head' | 'leadership'
  target_level           text,
  comment                text CHECK (char_length(comment) <= 2000),
  -- supervise: the supervision order's own limit
  due_at                 timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_action_task ON hub_action (user_task_key, id) WHERE user_task_key IS NOT NULL;
CREATE INDEX hub_action_instance ON hub_action (process_instance_key, id);

-- Items a diagram puts in the hub's queue with the job type hub.raise: send-backs (退单), reopened
-- cases (重办) and escalations. Open until the instance ends or a coordinator resolves them.
CREATE TABLE hub_item (
  id                     bigserial PRIMARY KEY,
  kind                   text NOT NULL CHECK (kind IN ('send-back', 'reopened', 'escalation')),
  process_instance_key   bigint NOT NULL,
  bpmn_process_id        text NOT NULL,
  -- the service task that raised it (one item per element instance: a retried job writes it once)
  element_id             text NOT NULL,
  element_instance_key   bigint NOT NULL UNIQUE,
  -- the task the item concerns when the diagram names one; otherwise the instance's open task is shown
  user_task_key          bigint,
  department             text,
  business_key           text,
  comment                text CHECK (char_length(comment) <= 2000),
  created_at             timestamptz NOT NULL DEFAULT now(),
  resolved_at            timestamptz,
  resolved_by            text
);
CREATE INDEX hub_item_open ON hub_item (created_at) WHERE resolved_at IS NULL;
CREATE INDEX hub_item_instance ON hub_item (process_instance_key);

-- An item is resolved when its instance ends (completed or terminated).
CREATE FUNCTION hub_item_follows_instance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE hub_item SET resolved_at = coalesce(NEW.end_date, now()), resolved_by = 'system:instance-ended'
   WHERE process_instance_key = NEW.key AND resolved_at IS NULL;
  RETURN NEW;
END
$$;
CREATE TRIGGER hub_item_follows_instance AFTER UPDATE OF state ON process_instance
  FOR EACH ROW WHEN (NEW.state IN ('COMPLETED', 'TERMINATED') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION hub_item_follows_instance();

-- Who has read which notification. A notification addressed to a department is read by each of
-- its members on their own; notification.read_at is stamped when the addressed user reads it.
CREATE TABLE notification_read (
  notification_id        bigint NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
  username               text NOT NULL,
  read_at                timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, username)
);
CREATE INDEX notification_read_user ON notification_read (username, notification_id);
