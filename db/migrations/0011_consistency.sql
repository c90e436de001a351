-- Temporal's history is the truth; these tables and the trigger keep the read model following it
-- (README, "One source of truth and one write order").

-- Idempotent instance creation: an Idempotency-Key (per user) names the process instance key once;
-- a retried request starts the same workflow id (process-instance-<key>) and gets the same instance.
CREATE TABLE instance_creation (
  idempotency_hash      text PRIMARY KEY,   -- sha256 of user and key, hex
  process_instance_key  bigint NOT NULL,
  request_hash          text NOT NULL,      -- sha256 of the request (definition, variables), hex
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_creation_created ON instance_creation (created_at);

-- An external job follows its element: when the workflow projects the element as ended, a job row
-- still open (its completion was accepted by Temporal but the server died before marking the row,
-- or the element was terminated) gets the element's outcome.
CREATE FUNCTION job_follows_element() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE job SET state = CASE WHEN NEW.state = 'COMPLETED' THEN 'COMPLETED' ELSE 'CANCELED' END, deadline = NULL
   WHERE element_instance_key = NEW.key AND state IN ('ACTIVATABLE', 'ACTIVATED');
  RETURN NEW;
END
$$;
CREATE TRIGGER job_follows_element AFTER UPDATE OF state ON element_instance
  FOR EACH ROW WHEN (NEW.state IN ('COMPLETED', 'TERMINATED') AND OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION job_follows_element();

-- One external job row per element instance and attempt of its activity: a retried write (the
-- activity's next attempt) refreshes the task token instead of offering the job twice.
CREATE UNIQUE INDEX job_open_element ON job (element_instance_key) WHERE state IN ('ACTIVATABLE', 'ACTIVATED');

-- The reconciliation sweep (services/reconcile.ts): one row per run, read by GET /api/admin/reconciliation.
CREATE TABLE reconciliation_run (
  id           bigserial PRIMARY KEY,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  checked      jsonb NOT NULL DEFAULT '{}',   -- rows looked at, by kind
  repaired     jsonb NOT NULL DEFAULT '{}',   -- rows repaired, by kind of disagreement
  error        text
);
