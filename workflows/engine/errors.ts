/**
 * Failures the interpreter turns into incidents. Each is its own class and is recognised with
 * `instanceof` (engine.ts `guard`), never by its message text: anything else thrown while an element
 * moves is a programming error and fails the workflow task, so that Temporal retries it and a fixed
 * worker can be deployed instead of the instance being parked on a misleading incident.
 */

/** Base of every failure that becomes an incident on the element that was moving. */
export abstract class ElementFailure extends Error {
  protected constructor(message: string) {
    super(message);
  }
}

/** A FEEL expression could not be evaluated (syntax, unknown function, a failing builtin …). */
export class ExpressionError extends ElementFailure {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** An expression was evaluated, but its value cannot be used here (wrong type, null, a malformed timer value …). */
export class ValueError extends ElementFailure {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValueError';
  }
}

/** An evaluation exceeded one of the engine's limits (steps, collection size, string length, cardinality). */
export class LimitExceeded extends ElementFailure {
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(message);
    this.name = 'LimitExceeded';
  }
}

/** An SLA clock cannot start: an unknown policy, a calendar year without data, a duration that cannot be counted. */
export class SlaFailure extends ElementFailure {
  constructor(message: string) {
    super(message);
    this.name = 'SlaFailure';
  }
}
