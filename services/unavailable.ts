/** Outages as the engine's 503 error (see outage.ts for how an outage is recognised). */
import { ServiceError } from './errors.js';
import { outageDetail, outageOf, type Dependency } from './outage.js';

/** A 503 naming the dependency, with what the client should do. */
export function unavailable(dependency: Dependency, what: string, err?: unknown): ServiceError {
  return new ServiceError('UNAVAILABLE', outageDetail(dependency, what, err), { component: dependency });
}

/** Rethrows an outage as a 503 naming the dependency; any other error unchanged. */
export function rethrowOutage(err: unknown, what: string): never {
  const dependency = outageOf(err);
  if (dependency) throw unavailable(dependency, what, err);
  throw err;
}
