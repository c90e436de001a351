/**
 * Issue 7 item 5: ReDoS in form validation. A form-js field pattern is tested with RE2 (linear
 * time) on the server and in the workflow's Update validator; a pattern RE2 cannot run is refused at
 * deployment, naming the form field. With backtracking, `([a-zA-Z]+ ?)+` against 35 characters that
 * do not match took minutes and stalled the HTTP server.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFormPattern, toRe2Syntax } from '../../bpmn/form-pattern.js';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { completeUserTaskUpdate } from '../../workflows/messages.js';
import { ext, linear } from '../bpmn/xml.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

const EVIL = '([a-zA-Z]+ ?)+';
const form = (pattern: string) =>
  JSON.stringify({
    id: 'name-form',
    type: 'default',
    components: [{ type: 'textfield', key: 'customerName', label: '客户姓名', validate: { required: true, pattern } }],
  });
const BPMN = linear(`<bpmn:userTask id="enter">${ext('<zeebe:userTask /><zeebe:formDefinition formId="name-form" />')}</bpmn:userTask>`, ['enter']);
/** 34 letters and a digit: no match, and 2^34 ways for a backtracking engine to find that out. */
const HOSTILE = `${'a'.repeat(34)}1`;

describe('form patterns (unit)', () => {
  it('match whole values in linear time, JavaScript \\u escapes included', () => {
    const p = compileFormPattern(EVIL);
    const started = performance.now();
    expect(p.matches(HOSTILE)).toBe(false);
    expect(p.matches(`${'ab '.repeat(30_000)}x`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(compileFormPattern('[\\u4e00-\\u9fa5]{2,4}').matches('张三')).toBe(true);
    expect(compileFormPattern('[\\u4e00-\\u9fa5]{2,4}').matches('Zhang')).toBe(false);
    expect(compileFormPattern('\\d{3}').matches('1234')).toBe(false);
    expect(toRe2Syntax('\\\\u0041\\u{1F600}')).toBe('\\\\u0041\\x{1F600}');
  });

  it('refuse backreferences, lookaround and overlong patterns', () => {
    expect(() => compileFormPattern('(a)\\1')).toThrow(/linear time/);
    expect(() => compileFormPattern('(?=a)a')).toThrow(/linear time/);
    expect(() => compileFormPattern('a'.repeat(1001))).toThrow(/at most 1000/);
  });
});

describe('form patterns on the real stack', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h?.close());

  const deploy = (files: Array<{ name: string; content: string }>) => {
    const { payload, headers } = multipart(files.map((f) => ({ field: 'resources', ...f })));
    return h.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
  };

  it('refuses at deployment a pattern RE2 cannot run, naming the form field', async () => {
    const res = await deploy([{ name: 'name.form', content: form('(\\w+)\\s\\1') }]);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain("'customerName' (客户姓名)");
  });

  it('answers a hostile completion quickly while /api/health stays responsive', async () => {
    const dep = await deploy([
      { name: 'name.form', content: form(EVIL) },
      { name: 'name.bpmn', content: BPMN },
    ]);
    expect(dep.statusCode, dep.body).toBe(200);
    const pi = await h.start('p');
    const task = await h.waitForTask(pi, 'enter');

    const started = performance.now();
    const completion = h.completeTask(task.userTaskKey, { customerName: HOSTILE });
    const health = (async () => {
      const t = performance.now();
      const res = await h.app.inject({ method: 'GET', url: '/api/health' });
      return { status: res.statusCode, ms: performance.now() - t };
    })();
    const [bad, probe] = await Promise.all([completion, health]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('customerName (客户姓名) does not match the pattern');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(probe.status).toBe(200);
    expect(probe.ms).toBeLessThan(200);

    // The workflow's Update validator uses the same linear-time check when the API is bypassed.
    const handle = h.client.workflow.getHandle(processInstanceWorkflowId(pi));
    const t = performance.now();
    const direct = handle.executeUpdate(completeUserTaskUpdate, { args: [{ userTaskKey: task.userTaskKey, variables: { customerName: HOSTILE } }] });
    await expect(direct).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(direct).rejects.toMatchObject({ cause: { type: 'INVALID' } });
    expect(performance.now() - t).toBeLessThan(5000);

    const ok = await h.completeTask(task.userTaskKey, { customerName: 'Zhang San' });
    expect(ok.statusCode, ok.body).toBe(204);
    await h.waitForEnd(pi);
  });
});
