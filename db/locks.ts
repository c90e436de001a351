/** Advisory locks shared by several writers; each names who takes it and why. */
import type pg from 'pg';

/**
 * Serialises message publication (services/messages.ts) with the opening of message subscriptions
 * (engine_record_events in db/migrations/0006_record_events.sql takes the same lock), so a message
 * and a subscription never miss each other.
 */
export async function lockCorrelation(client: pg.PoolClient, messageName: string, correlationKey: string): Promise<void> {
  // Two keys rather than one joined string: PostgreSQL text cannot hold the NUL a separator would need.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [messageName, correlationKey]);
}

/** Serialises deployments, so versions are numbered without gaps or duplicates. */
export const DEPLOYMENT_LOCK_ID = 740391002;
