-- Per-user settings of the web app (language, saved task filters …): a small JSON value per key,
-- each user their own. Keys and sizes are limited by server/routes/preferences.ts.
CREATE TABLE user_preference (
  user_id     bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  key         text NOT NULL CHECK (key ~ '^[a-z][a-zA-Z0-9.-]{0,63}$'),
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
