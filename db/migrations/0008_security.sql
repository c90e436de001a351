-- Security hardening (issue 7, items 12 and 13).
-- API tokens expire; tokens made before this migration get the default lifetime from their creation.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz;
UPDATE api_token SET expires_at = created_at + interval '90 days';
ALTER TABLE api_token ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_token_user ON api_token (user_id);

-- Integration accounts (outside systems: the customer service hotline, billing …) publish any message.
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
  CHECK (role IN ('admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'manager', 'integration'));

-- The periodic sweep deletes expired messages by expiry.
CREATE INDEX message_expiry ON message (expires_at);
