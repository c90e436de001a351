-- Deployed form-js forms (user-task forms referenced by zeebe:formDefinition formId). Versions are
-- immutable; a process version embeds the form version it was deployed with.
CREATE TABLE form (
  key             bigint PRIMARY KEY,
  form_id         text NOT NULL,
  version         integer NOT NULL,
  resource_name   text NOT NULL,
  deployment_key  bigint NOT NULL REFERENCES deployment(key),
  tenant_id       text NOT NULL DEFAULT '<default>',
  schema          jsonb NOT NULL,
  fields          jsonb NOT NULL,
  hash            text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (form_id, version, tenant_id)
);
