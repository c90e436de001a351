-- Jobs for external job workers (Camunda 8's /v2/jobs API): a service task whose type has no handler
-- in the worker waits here, its Temporal activity completed asynchronously by the server with the
-- task token when a worker completes, fails or throws an error.
CREATE TABLE job (
  key                         bigint PRIMARY KEY,
  type                        text NOT NULL,
  state                       text NOT NULL CHECK (state IN ('ACTIVATABLE', 'ACTIVATED', 'COMPLETED', 'FAILED', 'ERROR_THROWN', 'CANCELED')),
  process_instance_key        bigint NOT NULL,
  process_definition_key      bigint NOT NULL,
  process_definition_version  integer NOT NULL,
  bpmn_process_id             text NOT NULL,
  element_id                  text NOT NULL,
  element_instance_key        bigint NOT NULL,
  custom_headers              jsonb NOT NULL DEFAULT '{}',
  variables                   jsonb NOT NULL DEFAULT '{}',
  retries                     integer NOT NULL,
  worker                      text,
  -- activation ends at the deadline; the job can then be activated again
  deadline                    timestamptz,
  -- a failed job with retries left is activatable again from this time (the worker's retryBackOff)
  available_at                timestamptz NOT NULL DEFAULT now(),
  error_message               text,
  task_token                  text NOT NULL,
  tenant_id                   text NOT NULL DEFAULT '<default>',
  created_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_activatable ON job (type, available_at) WHERE state IN ('ACTIVATABLE', 'ACTIVATED');
CREATE INDEX job_element ON job (element_instance_key);
