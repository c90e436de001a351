/**
 * A request the in-memory engine refuses, with the code the service layer would answer with (the
 * HTTP status follows from it there). Requests the interpreter itself refuses (user-task completion)
 * keep the interpreter's RequestRejected.
 */
export type RejectionCode = 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'INVALID_STATE' | 'ALREADY_EXISTS';

export class MemoryRejection extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'MemoryRejection';
  }
}
