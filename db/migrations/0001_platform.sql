-- Platform tables. The migration runner (db/migrate.ts) creates and maintains schema_migrations
-- itself; this file holds small platform-wide state.

-- Key/value settings of the installation (feature switches, first-run markers, UI defaults).
CREATE TABLE app_settings (
  key        text PRIMARY KEY CHECK (key <> ''),
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE app_settings IS 'Installation-wide settings as key/value pairs (platform).';
