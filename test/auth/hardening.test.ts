/** Hostile input is refused with 4xx and the server keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linear } from '../bpmn/xml.js';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
});
afterAll(() => stack?.close());

async function upload(content: string) {
  const { payload, headers } = multipart([{ field: 'resources', name: 'evil.bpmn', content }]);
  return stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
}

async function stillServing() {
  const res = await stack.app.inject({ method: 'GET', url: '/api/health' });
  expect(res.statusCode).toBe(200);
}

describe('safe BPMN upload', () => {
  it('refuses an oversized resource', async () => {
    const res = await upload(linear('', []).replace('</bpmn:definitions>', `<!-- ${'x'.repeat(6 * 1024 * 1024)} --></bpmn:definitions>`));
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).toMatch(/larger than|too large/i);
    await stillServing();
  });

  it('refuses entity expansion (billion laughs) without expanding it', async () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" isExecutable="true" name="&lol5;" /></bpmn:definitions>`;
    const started = Date.now();
    const res = await upload(lol);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/DOCTYPE|ENTITY/);
    expect(Date.now() - started).toBeLessThan(2000);
    await stillServing();
  });

  it('refuses an external entity reference', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&x;" /></bpmn:definitions>`;
    const res = await upload(xxe);
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('root:');
    await stillServing();
  });

  it('refuses a deeply nested document', async () => {
    const depth = 20_000;
    const nested = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</bpmn:definitions>`;
    const res = await upload(nested);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/nest|deep/i);
    await stillServing();
  });

  it('refuses a JSON body over the size limit', async () => {
    const res = await stack.app.inject({
      method: 'POST',
      url: '/v2/process-instances',
      headers: { ...ADMIN_AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify({ processDefinitionId: 'p', variables: { blob: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    await stillServing();
  });

  it('sends secure headers', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});
