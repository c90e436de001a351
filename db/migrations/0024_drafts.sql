-- Diagrams being drawn in the modeler, saved on the server so that a reload loses nothing: each
-- designer's own (administrators see all). `version` counts saves for optimistic concurrency (a
-- save names the version it replaces). Sizes and the count per user are limited by server/routes/drafts.ts.
CREATE TABLE model_draft (
  id          bigserial PRIMARY KEY,
  owner_id    bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  xml         text NOT NULL,
  forms       jsonb NOT NULL DEFAULT '{}'::jsonb,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_draft_owner ON model_draft (owner_id, updated_at DESC);
