/** Variables set from outside on an active element instance (e.g. repairing data before resolving an incident). */
import { setVariablesUpdate } from '../workflows/messages.js';
import type { Variables } from '../workflows/types.js';
import type { EngineDeps } from './deps.js';
import { ServiceError } from './errors.js';
import { updateInstance } from './updates.js';
import { coded } from '../services/problem-codes.js';

export async function setElementVariables(
  deps: EngineDeps,
  req: { elementInstanceKey: string; variables: Variables; local: boolean },
): Promise<void> {
  const key = req.elementInstanceKey;
  const { rows } = await deps.pool.query<{ process_instance_key: string; state: string }>(
    'SELECT process_instance_key::text, state FROM element_instance WHERE key = $1',
    [key],
  );
  const el = rows[0];
  if (!el) throw new ServiceError('NOT_FOUND', `Element instance with key '${key}' not found`);
  if (el.state !== 'ACTIVE') throw new ServiceError('INVALID_STATE', `Element instance ${key} is ${el.state.toLowerCase()}; variables can be set on active elements only`, coded('variables.elementNotActive', { elementInstanceKey: key, state: el.state.toLowerCase() }));
  await updateInstance(deps.client, el.process_instance_key, setVariablesUpdate, req, { subject: `element instance ${key}` });
}
