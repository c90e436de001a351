/** Incidents: resolution retries the failed job or step of the instance (an Update on its workflow). */
import { resolveIncidentUpdate } from '../workflows/messages.js';
import type { EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { updateInstance } from './updates.js';
import { coded } from '../services/problem-codes.js';

export async function resolveIncident(deps: EngineDeps, incidentKey: string): Promise<void> {
  const { rows } = await deps.pool.query<{ state: string; process_instance_key: string }>(
    'SELECT state, process_instance_key::text FROM incident WHERE key = $1',
    [incidentKey],
  );
  const inc = rows[0];
  if (!inc) throw new ServiceError('NOT_FOUND', `Incident with key '${incidentKey}' not found`);
  if (inc.state !== 'ACTIVE') throw new ServiceError('INVALID_STATE', `Incident ${incidentKey} is already resolved`, coded('incident.resolved', { incidentKey }));
  await updateInstance(deps.client, inc.process_instance_key, resolveIncidentUpdate, { incidentKey }, { subject: `incident ${incidentKey}` });
}
