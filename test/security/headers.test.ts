/**
 * Issue 7, item 10 (serving part): a stored diagram with a script in it is served as a sandboxed
 * attachment that no browser runs; every API answer carries a sandbox policy; the web app and the
 * API docs have a Content-Security-Policy that allows only the origin's scripts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';

let stack: TestApp;
beforeAll(async () => {
  const webRoot = mkdtempSync(path.join(tmpdir(), 'web-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/app.js"></script>');
  stack = await startTestApp({ webRoot });
});
afterAll(() => stack?.close());

const XHTML_SCRIPT = '<html:script xmlns:html="http://www.w3.org/1999/xhtml">fetch("/api/users")</html:script>';

const diagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com">
  <bpmn:process id="stored" isExecutable="true"><bpmn:documentation>${XHTML_SCRIPT.replace(/</g, '&lt;')}</bpmn:documentation>
    <bpmn:startEvent id="s" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

function cspDirectives(header: unknown): Map<string, string> {
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d] as [string, string]),
  );
}

describe('stored documents and API answers never run in the browser', () => {
  it('serves a deployed diagram as a sandboxed, non-sniffable attachment', async () => {
    const { payload, headers } = multipart([{ field: 'resources', name: '报修 <x>.bpmn', content: diagram }]);
    const deployed = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
    expect(deployed.statusCode, deployed.body).toBe(200);
    const key = deployed.json<{ deployments: Array<{ processDefinition: { processDefinitionKey: string } }> }>().deployments[0]!.processDefinition.processDefinitionKey;
    const res = await stack.app.inject({ method: 'GET', url: `/v2/process-definitions/${key}/xml`, headers: ADMIN_AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(diagram);
    const csp = cspDirectives(res.headers['content-security-policy']);
    expect(csp.has('sandbox')).toBe(true);
    expect(csp.get('default-src')).toBe("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
    expect(res.headers['content-disposition']).not.toContain('<');
  });

  it('puts every JSON answer of the API in a sandbox', async () => {
    for (const url of ['/api/auth/me', '/v2/authentication/me', '/api/departments']) {
      const res = await stack.app.inject({ method: 'GET', url, headers: ADMIN_AUTH });
      expect(cspDirectives(res.headers['content-security-policy']).has('sandbox'), url).toBe(true);
    }
    const problem = await stack.app.inject({ method: 'GET', url: '/v2/process-definitions/1/xml', headers: ADMIN_AUTH });
    expect(problem.statusCode).toBe(404);
    expect(cspDirectives(problem.headers['content-security-policy']).has('sandbox')).toBe(true);
  });

  it('gives the web app a policy that runs only the origin’s scripts', async () => {
    const res = await stack.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    const csp = cspDirectives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toBe("script-src 'self'");
    expect(csp.get('object-src')).toBe("object-src 'none'");
    expect(csp.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(csp.has('sandbox')).toBe(false);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives the API docs their own policy, usable over plain HTTP', async () => {
    let res = await stack.app.inject({ method: 'GET', url: '/api/docs' });
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      res = await stack.app.inject({ method: 'GET', url: new URL(String(res.headers.location), 'http://x/api/docs/').pathname });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = cspDirectives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toMatch(/^script-src 'self'/);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(csp.has('sandbox')).toBe(false);
  });
});
