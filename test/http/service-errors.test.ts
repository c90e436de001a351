/** The one mapping of service error codes to HTTP statuses and Camunda-style problem+json. */
import { describe, expect, it } from 'vitest';
import { SERVICE_ERROR_STATUS, toProblem } from '../../server/http/problem.js';
import { SERVICE_ERROR_CODES, ServiceError } from '../../services/errors.js';

describe('service errors over HTTP', () => {
  it.each([
    ['INVALID_ARGUMENT', 400],
    ['NOT_FOUND', 404],
    ['INVALID_STATE', 409],
    ['ALREADY_EXISTS', 409],
    ['CONFLICT', 409],
    ['UNAVAILABLE', 503],
  ] as const)('%s answers %i with the code as title', (code, status) => {
    const problem = toProblem(new ServiceError(code, `process instance 42: ${code}`));
    expect(problem).toEqual({ type: 'about:blank', title: code, status, detail: `process instance 42: ${code}` });
  });

  it('maps every code to a client or server error status', () => {
    for (const code of SERVICE_ERROR_CODES) expect(SERVICE_ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
  });

  it('keeps extra members (the compiler problems with element ids) but never lets them replace status or title', () => {
    const err = new ServiceError('INVALID_ARGUMENT', "Resource 'a.bpmn' cannot be deployed", {
      resourceName: 'a.bpmn',
      problems: [{ elementId: 'Task_1' }],
      status: 200,
      title: 'OK',
    });
    expect(toProblem(err)).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT', resourceName: 'a.bpmn', problems: [{ elementId: 'Task_1' }] });
  });
});
