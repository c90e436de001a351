-- Access control: departments (= candidate groups), users with roles, browser sessions, API tokens,
-- and the audit log of every change of state.

CREATE TABLE department (
  id          text PRIMARY KEY CHECK (id <> ''),
  name        text NOT NULL,
  name_en     text,
  -- the coordinating hub (营销部): its coordinators also act on escalated items
  is_hub      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  id             bigserial PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'designer', 'staff', 'dept_head', 'hub_coordinator', 'manager')),
  departments    text[] NOT NULL DEFAULT '{}',
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_session (
  id_hash     text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE api_token (
  id            bigserial PRIMARY KEY,
  token_hash    text NOT NULL UNIQUE,
  user_id       bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      bigint,
  username     text,
  action       text NOT NULL,
  object_type  text,
  object_id    text,
  status       integer,
  ip           text,
  detail       jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (username, at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);

-- escalated tasks are visible to hub coordinators whatever their candidate groups (set by the SLA work)
ALTER TABLE user_task ADD COLUMN escalated boolean NOT NULL DEFAULT false;
