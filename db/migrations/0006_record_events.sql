-- The projection of a batch of engine events in one round trip (activities/projections.ts calls it
-- once per flush). Idempotent: events at or below the instance's last_seq were applied already and
-- are skipped, except that a message subscription opened in such a batch returns again the buffered
-- message it took then (the retried activity's caller never saw the first answer).
-- Returns the buffered messages handed to subscriptions opened in this batch.
CREATE FUNCTION engine_record_events(meta jsonb, events jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  pi        bigint := (meta->>'processInstanceKey')::bigint;
  last      integer;
  ev        jsonb;
  t         text;
  at        timestamptz;
  ei        bigint;
  delivered jsonb := '[]'::jsonb;
  msg       record;
BEGIN
  INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, parent_process_instance_key,
                                parent_element_instance_key, start_date)
  VALUES (pi, (meta->>'processDefinitionKey')::bigint, meta->>'bpmnProcessId', (meta->>'processDefinitionVersion')::int,
          (meta->>'parentProcessInstanceKey')::bigint, (meta->>'parentElementInstanceKey')::bigint,
          coalesce(to_timestamp((events->0->>'at')::double precision / 1000), now()))
  ON CONFLICT (key) DO NOTHING;
  SELECT last_seq INTO last FROM process_instance WHERE key = pi FOR UPDATE;

  FOR ev IN SELECT value FROM jsonb_array_elements(events) LOOP
    t  := ev->>'type';
    at := to_timestamp((ev->>'at')::double precision / 1000);
    ei := (ev->>'elementInstanceKey')::bigint;

    IF (ev->>'seq')::int <= last THEN
      IF t = 'MESSAGE_SUBSCRIPTION_OPENED' THEN
        SELECT m.key, m.name, m.correlation_key, m.variables INTO msg
          FROM message_subscription s JOIN message m ON m.key = s.delivered_message_key
         WHERE s.element_instance_key = ei AND s.element_id = ev->>'elementId';
        IF FOUND THEN
          delivered := delivered || jsonb_build_object('messageKey', msg.key::text, 'messageName', msg.name,
            'correlationKey', msg.correlation_key, 'variables', msg.variables, 'elementInstanceKey', ei::text);
        END IF;
      END IF;
      CONTINUE;
    END IF;

    CASE t
    WHEN 'ELEMENT' THEN
      IF ev->>'elementType' = 'process' AND ev->>'state' IN ('COMPLETED', 'TERMINATED') THEN
        UPDATE process_instance SET state = ev->>'state', end_date = at WHERE key = pi;
      END IF;
      IF ev->>'state' = 'ACTIVATING' THEN
        INSERT INTO element_instance (key, process_instance_key, element_id, element_type, flow_scope_key, state, start_date, seq)
        VALUES ((ev->>'key')::bigint, pi, ev->>'elementId', ev->>'elementType', (ev->>'flowScopeKey')::bigint, 'ACTIVE', at,
                (ev->>'seq')::int)
        ON CONFLICT (key) DO NOTHING;
      ELSIF ev->>'state' IN ('COMPLETED', 'TERMINATED') THEN
        UPDATE element_instance SET state = ev->>'state', end_date = at WHERE key = (ev->>'key')::bigint;
      END IF;

    WHEN 'VARIABLE' THEN
      INSERT INTO variable (scope_key, name, process_instance_key, value)
      VALUES ((ev->>'scopeKey')::bigint, ev->>'name', pi, coalesce(ev->'value', 'null'::jsonb))
      ON CONFLICT (scope_key, name) DO UPDATE SET value = EXCLUDED.value;

    WHEN 'USER_TASK_CREATED' THEN
      INSERT INTO user_task (key, element_instance_key, process_instance_key, process_definition_key, bpmn_process_id, element_id, name,
                             state, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, form_key, form_id,
                             creation_date)
      VALUES ((ev->>'key')::bigint, (ev->>'key')::bigint, pi, (meta->>'processDefinitionKey')::bigint, meta->>'bpmnProcessId',
              ev->>'elementId', ev->>'name', 'CREATED', ev->>'assignee',
              ARRAY(SELECT jsonb_array_elements_text(coalesce(ev->'candidateGroups', '[]'::jsonb))),
              ARRAY(SELECT jsonb_array_elements_text(coalesce(ev->'candidateUsers', '[]'::jsonb))),
              ev->>'dueDate', ev->>'followUpDate', coalesce((ev->>'priority')::int, 50), ev->>'formKey', ev->>'formId', at)
      ON CONFLICT (key) DO NOTHING;

    WHEN 'USER_TASK_ENDED' THEN
      UPDATE user_task SET state = ev->>'state', completion_date = at, completed_variables = ev->'variables'
       WHERE key = (ev->>'key')::bigint;

    WHEN 'INCIDENT_CREATED' THEN
      INSERT INTO incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_instance_key, element_id,
                            error_type, error_message, state, creation_time)
      VALUES ((ev->>'key')::bigint, pi, (meta->>'processDefinitionKey')::bigint, meta->>'bpmnProcessId', ei, ev->>'elementId',
              ev->>'errorType', ev->>'message', 'ACTIVE', at)
      ON CONFLICT (key) DO NOTHING;
      UPDATE element_instance SET incident_key = (ev->>'key')::bigint WHERE key = ei;
      UPDATE process_instance SET has_incident = true WHERE key = pi;

    WHEN 'INCIDENT_RESOLVED' THEN
      UPDATE incident SET state = 'RESOLVED' WHERE key = (ev->>'key')::bigint;
      UPDATE element_instance SET incident_key = NULL WHERE incident_key = (ev->>'key')::bigint;
      UPDATE process_instance SET has_incident = EXISTS (SELECT 1 FROM incident WHERE process_instance_key = pi AND state = 'ACTIVE')
       WHERE key = pi;

    WHEN 'MESSAGE_SUBSCRIPTION_OPENED' THEN
      -- the same lock as message publication (server/engine/messages.ts → lockCorrelation)
      PERFORM pg_advisory_xact_lock(hashtext(ev->>'messageName'), hashtext(ev->>'correlationKey'));
      UPDATE message SET correlated_to = pi
       WHERE key = (SELECT key FROM message
                     WHERE name = ev->>'messageName' AND correlation_key = ev->>'correlationKey' AND correlated_to IS NULL
                       AND expires_at > now()
                     ORDER BY key LIMIT 1 FOR UPDATE)
      RETURNING key, variables INTO msg;
      INSERT INTO message_subscription (element_instance_key, element_id, process_instance_key, message_name, correlation_key,
                                        delivered_message_key)
      VALUES (ei, ev->>'elementId', pi, ev->>'messageName', ev->>'correlationKey', msg.key)
      ON CONFLICT (element_instance_key, element_id) DO NOTHING;
      IF msg.key IS NOT NULL THEN
        delivered := delivered || jsonb_build_object('messageKey', msg.key::text, 'messageName', ev->>'messageName',
          'correlationKey', ev->>'correlationKey', 'variables', msg.variables, 'elementInstanceKey', ei::text);
      END IF;

    WHEN 'MESSAGE_SUBSCRIPTION_CLOSED' THEN
      DELETE FROM message_subscription WHERE element_instance_key = ei;

    WHEN 'SIGNAL_SUBSCRIPTION_OPENED' THEN
      INSERT INTO signal_subscription (element_instance_key, element_id, process_instance_key, signal_name)
      VALUES (ei, ev->>'elementId', pi, ev->>'signalName')
      ON CONFLICT DO NOTHING;

    WHEN 'SIGNAL_SUBSCRIPTION_CLOSED' THEN
      DELETE FROM signal_subscription WHERE element_instance_key = ei;

    WHEN 'PROCESS_INSTANCE_ENDED' THEN
      UPDATE process_instance SET state = ev->>'state', end_date = coalesce(end_date, at) WHERE key = pi;
      DELETE FROM message_subscription WHERE process_instance_key = pi;
      DELETE FROM signal_subscription WHERE process_instance_key = pi;

    ELSE
      RAISE EXCEPTION 'engine_record_events: unknown event type %', t;
    END CASE;
  END LOOP;

  UPDATE process_instance
     SET last_seq = greatest(last, (SELECT max((e->>'seq')::int) FROM jsonb_array_elements(events) e))
   WHERE key = pi;
  RETURN delivered;
END
$$;
