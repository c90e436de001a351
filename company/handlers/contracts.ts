/**
 * The adapter interfaces behind the company's job types (README, "The company's processes:
 * handlers"). Each job handler (company/handlers/index.ts) reads its headers and variables, asks one
 * adapter and answers variables. The product ships local PostgreSQL implementations
 * (company/handlers/local.ts), used by default and by the tests; a real integration (billing
 * system, SMS gateway, document archive) implements the same interface and is passed to
 * companyJobHandlers().
 *
 * ## Rules every implementation follows
 *
 * - Idempotent by `elementInstanceKey`: the engine retries a failed job with the same element
 *   instance key (activities/jobs.ts, `Job`), so the second attempt must answer what the first one
 *   did and change nothing more: no second order number, no second SMS, no second archive record.
 *   A new pass through the same task (a loop, a re-done step) has a new element instance key and
 *   does the work again.
 * - Failures throw. An exception is a failure of the job: the engine retries it up to the task's
 *   retries, then raises an incident that an operator resolves (README, "Running processes").
 *   Bad configuration of the diagram (an unknown header value) throws too, so it shows as an
 *   incident with the reason instead of silently doing nothing.
 * - Answers are plain JSON (strings, numbers, booleans), since they become process variables.
 */

/** What every adapter call carries: the job's identity, for idempotency and links. */
export interface JobRef {
  processInstanceKey: string;
  elementInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
}

/** Order numbers (工单号): `<PREFIX>-<YYYYMMDD>-<NNNN>`, China date, one sequence per prefix and day. */
export interface OrderNumbers {
  /**
   * Takes the next number of `prefix` for the job's China day, or answers the number the same
   * element instance took before. `prefix` is 1–8 capital letters (GZ, TS, YK …).
   */
  take(job: JobRef, prefix: string): Promise<{ businessKey: string }>;
}

/** Unpaid electricity bills (欠费) of a customer account. */
export interface ArrearsService {
  /**
   * The account's arrears in yuan. An unknown account (a new customer has none yet) answers
   * `found: false` with no arrears; an unreachable billing system throws.
   */
  check(accountNo: string): Promise<{ found: boolean; arrearsAmount: number }>;
}

export const CUSTOMER_TEMPLATES = ['accepted', 'dispatched', 'restored', 'reply', 'return-visit', 'material-missing', 'power-on'] as const;
export type CustomerTemplate = (typeof CUSTOMER_TEMPLATES)[number];

/** Text messages (SMS) to customers. */
export interface CustomerNotifier {
  /**
   * Queues one SMS for the job (at most one per element instance) and answers when it was
   * queued; a retry answers the first time. `text` is the rendered message (plain text, Chinese).
   */
  send(job: JobRef, message: { phone: string; template: CustomerTemplate; text: string; businessKey: string | null }): Promise<{ notifiedAt: string }>;
}

export interface OutageLinkResult {
  outageId: string;
  state: 'open' | 'closed';
  /** Set when the outage is already closed: when and why power came back. */
  restoredAt: string | null;
  cause: string | null;
}

/** Outages (停电事件) and the reports linked to them (company/outages.ts). */
export interface Outages {
  /**
   * Links the job's instance to the outage (again: no change). Throws when the outage does not exist.
   * When the outage is already closed, the instance must not wait for `outage-restored` in vain:
   * the implementation leaves a buffered message for it (correlation key = the outage id).
   */
  link(job: JobRef, outageId: string, businessKey: string | null): Promise<OutageLinkResult>;
}

/** The archive (归档) of finished cases. */
export interface Archive {
  /** Stores the case's variables once per element instance; a retry answers the first time. */
  store(job: JobRef, record: { businessKey: string | null; variables: Record<string, unknown> }): Promise<{ archivedAt: string }>;
}

/** Every adapter the company's job handlers use. */
export interface CompanyAdapters {
  orderNumbers: OrderNumbers;
  arrears: ArrearsService;
  notifier: CustomerNotifier;
  outages: Outages;
  archive: Archive;
}
