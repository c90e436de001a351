/**
 * Bounds on the work one instance may ask of the worker, so that a careless or hostile expression
 * or collection becomes an incident on its element instead of a workflow task that runs out of
 * memory or time and is retried forever.
 *
 * The limits of an instance are fixed when it starts (ProcessInstanceInput.limits, recorded in its
 * history, so a replay decides exactly as the original run did); what is not given there takes the
 * defaults below. Every instance it calls and every continue-as-new keeps them.
 */
export interface EngineLimits {
  /**
   * Evaluation steps of one FEEL expression: each element a for, some, every or filter walks, each
   * element of a range, each return of a for body, and each function call (the length of its
   * longest list argument, at least 1). Default 10,000, e.g. `sum(for x in items return x.n)` over
   * 3,000 items. feelin copies the whole variable context for every iteration and its code is cold
   * in a fresh workflow sandbox: measured on a busy 2-core machine, 10,000 steps take about half a
   * second of the worker, which every other instance on it waits for. Raise it per instance
   * (ProcessInstanceInput.limits) where larger lists are expected.
   */
  feelSteps: number;
  /** Items of one list (or elements of one range) an expression may build, walk or return. Default 100,000. */
  collectionItems: number;
  /** Characters of one string an expression may build or return. Default 1,048,576 (1 Mi characters). */
  stringLength: number;
  /** Inner instances of one multi-instance activity (the size of its input collection). Default 10,000. */
  multiInstanceCardinality: number;
}

export const DEFAULT_LIMITS: Readonly<EngineLimits> = Object.freeze({
  feelSteps: 10_000,
  collectionItems: 100_000,
  stringLength: 1_048_576,
  multiInstanceCardinality: 10_000,
});

/** The defaults, overridden by the positive integers given. */
export function resolveLimits(given: Partial<EngineLimits> | undefined): EngineLimits {
  const out: EngineLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof EngineLimits>) {
    const v = given?.[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) out[key] = v;
  }
  return out;
}
