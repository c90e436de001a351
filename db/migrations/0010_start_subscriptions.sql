-- Message and signal start events of each process's latest version, written at deployment
-- (services/start-subscriptions.ts), so publishing a message or broadcasting a signal finds the
-- processes it starts by an index lookup instead of reading every process's model.
CREATE TABLE start_subscription (
  process_definition_key  bigint NOT NULL REFERENCES process_definition(key),
  element_id              text NOT NULL,
  bpmn_process_id         text NOT NULL,
  tenant_id               text NOT NULL DEFAULT '<default>',
  kind                    text NOT NULL CHECK (kind IN ('message', 'signal')),
  -- the message or signal name; only static names (a FEEL string literal) can start a process
  name                    text NOT NULL,
  PRIMARY KEY (process_definition_key, element_id)
);
CREATE INDEX start_subscription_lookup ON start_subscription (kind, name);
CREATE INDEX start_subscription_process ON start_subscription (bpmn_process_id, tenant_id);

-- The name a FEEL string literal stands for ('"order placed"' → 'order placed'), else NULL.
CREATE FUNCTION pg_temp.feel_string_literal(expr text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  value jsonb;
BEGIN
  IF expr IS NULL OR left(expr, 1) <> '"' THEN
    RETURN NULL;
  END IF;
  value := expr::jsonb;
  IF jsonb_typeof(value) <> 'string' THEN
    RETURN NULL;
  END IF;
  -- only the exact form the compiler writes (JSON.stringify), as the engine matched names before
  IF to_jsonb(value #>> '{}')::text <> expr THEN
    RETURN NULL;
  END IF;
  RETURN value #>> '{}';
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- Processes deployed before this migration: the start events of their latest versions.
INSERT INTO start_subscription (process_definition_key, element_id, bpmn_process_id, tenant_id, kind, name)
SELECT d.key, n.value->>'id', d.bpmn_process_id, d.tenant_id, n.value->'event'->>'kind',
       pg_temp.feel_string_literal(n.value->'event'->>((n.value->'event'->>'kind') || 'Name'))
  FROM (SELECT DISTINCT ON (bpmn_process_id, tenant_id) key, bpmn_process_id, tenant_id, model
          FROM process_definition ORDER BY bpmn_process_id, tenant_id, version DESC) d
  CROSS JOIN LATERAL jsonb_each(d.model->'nodes') n
 WHERE n.value->>'type' = 'startEvent'
   AND jsonb_typeof(n.value->'parentId') IS DISTINCT FROM 'string'
   AND n.value->'event'->>'kind' IN ('message', 'signal')
   AND pg_temp.feel_string_literal(n.value->'event'->>((n.value->'event'->>'kind') || 'Name')) IS NOT NULL;

DROP FUNCTION pg_temp.feel_string_literal(text);
