-- Engine read models: deployments, process definitions and the projections that the workflow
-- writes through idempotent activities (process instances, element instances, user tasks,
-- incidents, variables, subscriptions) plus the message buffer.

-- Keys look like Camunda 8's: numeric, 2^51 + n * 2^20. A process instance's elements take the
-- keys just above its own (the interpreter counts up from the instance key).
CREATE SEQUENCE engine_key_seq;

CREATE TABLE deployment (
  key          bigint PRIMARY KEY,
  tenant_id    text NOT NULL DEFAULT '<default>',
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text
);

CREATE TABLE process_definition (
  key              bigint PRIMARY KEY,
  bpmn_process_id  text NOT NULL,
  version          integer NOT NULL,
  name             text,
  version_tag      text,
  resource_name    text NOT NULL,
  deployment_key   bigint NOT NULL REFERENCES deployment(key),
  tenant_id        text NOT NULL DEFAULT '<default>',
  xml              text NOT NULL,
  model            jsonb NOT NULL,
  hash             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bpmn_process_id, version, tenant_id)
);

CREATE TABLE process_instance (
  key                          bigint PRIMARY KEY,
  process_definition_key       bigint NOT NULL,
  bpmn_process_id              text NOT NULL,
  version                      integer NOT NULL,
  tenant_id                    text NOT NULL DEFAULT '<default>',
  state                        text NOT NULL DEFAULT 'ACTIVE',
  start_date                   timestamptz NOT NULL DEFAULT now(),
  end_date                     timestamptz,
  parent_process_instance_key  bigint,
  parent_element_instance_key  bigint,
  has_incident                 boolean NOT NULL DEFAULT false,
  last_seq                     integer NOT NULL DEFAULT 0
);
CREATE INDEX process_instance_state ON process_instance (state, bpmn_process_id);
CREATE INDEX process_instance_parent ON process_instance (parent_process_instance_key);

CREATE TABLE element_instance (
  key                   bigint PRIMARY KEY,
  process_instance_key  bigint NOT NULL,
  element_id            text NOT NULL,
  element_type          text NOT NULL,
  flow_scope_key        bigint,
  state                 text NOT NULL,
  start_date            timestamptz NOT NULL,
  end_date              timestamptz,
  incident_key          bigint,
  -- order of activation within the instance (the event sequence number), for the path of an instance
  seq                   integer NOT NULL
);
CREATE INDEX element_instance_pi ON element_instance (process_instance_key, seq);

CREATE TABLE user_task (
  key                     bigint PRIMARY KEY,
  element_instance_key    bigint NOT NULL,
  process_instance_key    bigint NOT NULL,
  process_definition_key  bigint NOT NULL,
  bpmn_process_id         text NOT NULL,
  element_id              text NOT NULL,
  name                    text,
  state                   text NOT NULL,
  assignee                text,
  candidate_groups        text[] NOT NULL DEFAULT '{}',
  candidate_users         text[] NOT NULL DEFAULT '{}',
  due_date                text,
  follow_up_date          text,
  priority                integer NOT NULL DEFAULT 50,
  form_key                text,
  form_id                 text,
  creation_date           timestamptz NOT NULL,
  completion_date         timestamptz,
  completed_variables     jsonb,
  tenant_id               text NOT NULL DEFAULT '<default>'
);
CREATE INDEX user_task_open ON user_task (state, assignee);
CREATE INDEX user_task_groups ON user_task USING gin (candidate_groups);

CREATE TABLE incident (
  key                     bigint PRIMARY KEY,
  process_instance_key    bigint NOT NULL,
  process_definition_key  bigint NOT NULL,
  bpmn_process_id         text NOT NULL,
  element_instance_key    bigint NOT NULL,
  element_id              text NOT NULL,
  error_type              text NOT NULL,
  error_message           text NOT NULL,
  state                   text NOT NULL,
  creation_time           timestamptz NOT NULL,
  tenant_id               text NOT NULL DEFAULT '<default>'
);
CREATE INDEX incident_pi ON incident (process_instance_key, state);

CREATE TABLE variable (
  scope_key             bigint NOT NULL,
  name                  text NOT NULL,
  process_instance_key  bigint NOT NULL,
  value                 jsonb,
  tenant_id             text NOT NULL DEFAULT '<default>',
  PRIMARY KEY (scope_key, name)
);
CREATE INDEX variable_pi ON variable (process_instance_key);

CREATE TABLE message_subscription (
  element_instance_key  bigint NOT NULL,
  element_id            text NOT NULL,
  process_instance_key  bigint NOT NULL,
  message_name          text NOT NULL,
  correlation_key       text NOT NULL,
  -- a buffered message handed to this subscription when it opened (returned again if the activity is retried)
  delivered_message_key bigint,
  PRIMARY KEY (element_instance_key, element_id)
);
CREATE INDEX message_subscription_lookup ON message_subscription (message_name, correlation_key);

CREATE TABLE signal_subscription (
  element_instance_key  bigint NOT NULL,
  element_id            text NOT NULL,
  process_instance_key  bigint NOT NULL,
  signal_name           text NOT NULL,
  PRIMARY KEY (element_instance_key, element_id)
);
CREATE INDEX signal_subscription_lookup ON signal_subscription (signal_name);

CREATE TABLE message (
  key              bigint PRIMARY KEY,
  name             text NOT NULL,
  correlation_key  text NOT NULL,
  message_id       text,
  variables        jsonb NOT NULL DEFAULT '{}',
  published_at     timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  correlated_to    bigint,
  tenant_id        text NOT NULL DEFAULT '<default>'
);
CREATE INDEX message_buffer ON message (name, correlation_key) WHERE correlated_to IS NULL;
CREATE UNIQUE INDEX message_id_unique ON message (name, message_id) WHERE message_id IS NOT NULL;
