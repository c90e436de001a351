/** Telling an outage from a refusal (services/outage.ts): only an outage may become a 503. */
import { ActivityCompletionError, ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { outageOf } from '../../services/outage.js';

const withCode = (message: string, code: unknown, extra: object = {}) => Object.assign(new Error(message), { code, ...extra });

describe('outageOf', () => {
  it.each([
    ['PostgreSQL shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01'), 'PostgreSQL'],
    ['PostgreSQL starting up (57P03)', withCode('the database system is starting up', '57P03'), 'PostgreSQL'],
    ['PostgreSQL connection exception (08006)', withCode('connection failure', '08006'), 'PostgreSQL'],
    ['PostgreSQL refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'PostgreSQL'],
    ['pg pool lost its connection', new Error('Connection terminated unexpectedly'), 'PostgreSQL'],
    ['Temporal unavailable (gRPC 14)', withCode('14 UNAVAILABLE: No connection established', 14, { details: 'x', metadata: {} }), 'Temporal'],
    ['Temporal unavailable, wrapped by the SDK', new ServiceError('Failed to start Workflow', { cause: withCode('14 UNAVAILABLE', 14, { details: '', metadata: {} }) }), 'Temporal'],
    ['Temporal did not answer an activity completion', new ActivityCompletionError('Deadline exceeded after 0.000s,waiting for metadata filters'), 'Temporal'],
    ['Temporal deadline (gRPC 4)', withCode('4 DEADLINE_EXCEEDED', 4, { details: '', metadata: {} }), 'Temporal'],
  ])('%s is an outage of %s', (_label, err, dependency) => {
    expect(outageOf(err)).toBe(dependency);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near', '42601')],
    ['gRPC NOT_FOUND', withCode('5 NOT_FOUND', 5, { details: '', metadata: {} })],
    ['an activity completion Temporal refused', new ActivityCompletionError('invalid task token')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error at all', 'text'],
  ])('%s is not an outage', (_label, err) => {
    expect(outageOf(err)).toBeUndefined();
  });
});
