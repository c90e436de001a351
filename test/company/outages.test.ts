/**
 * Outages (停电事件) through the HTTP API on the real stack (PostgreSQL, Temporal, a worker with the
 * company's job handlers): the hub opens an outage, links reports to it (by the API and by the job
 * type company.outage-link), and closing it sends `outage-restored` to every linked instance —
 * those already waiting at the message catch event continue at once, a linked one that was not
 * waiting yet continues when it gets there (buffered message). Listing by state, 404/409/400,
 * permissions of managers and staff, and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../company/sequence.js';
import { auth, createUsers, type TestUser } from '../auth/users.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

/** A fault report: the hub triages it (and may link it), it gets an order number, links, waits for power, tells the customer. */
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:message id="restored-msg" name="outage-restored">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=outageId" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="outage-report" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:userTask id="triage" name="研判">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="marketing" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:serviceTask id="number" name="生成工单号">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="company.order-number" />
        <zeebe:taskHeaders><zeebe:header key="prefix" value="GZ" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:serviceTask id="link" name="关联停电事件">
      <bpmn:extensionElements><zeebe:taskDefinition type="company.outage-link" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="wait" name="恢复送电">
      <bpmn:messageEventDefinition messageRef="restored-msg" />
    </bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="tell" name="短信告知">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="company.notify-customer" />
        <zeebe:taskHeaders><zeebe:header key="template" value="restored" /></zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="triage" />
    <bpmn:sequenceFlow id="f2" sourceRef="triage" targetRef="number" />
    <bpmn:sequenceFlow id="f3" sourceRef="number" targetRef="link" />
    <bpmn:sequenceFlow id="f4" sourceRef="link" targetRef="wait" />
    <bpmn:sequenceFlow id="f5" sourceRef="wait" targetRef="tell" />
    <bpmn:sequenceFlow id="f6" sourceRef="tell" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface OutageBody {
  id: string;
  title: string;
  area: string;
  state: string;
  createdBy: string;
  closedBy: string | null;
  closedAt: string | null;
  cause: string | null;
  linkCount: number;
}

let h: EngineHarness;
const call = (who: TestUser | 'admin', method: 'GET' | 'POST', url: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: auth(who), ...(payload !== undefined ? { payload: payload as object } : {}) });

beforeAll(async () => {
  h = await startEngineHarness();
  await createUsers(h.app);
  expect((await h.deploy(XML, 'outage-report.bpmn')).statusCode).toBe(200);
});
afterAll(() => h?.close());

async function waitingAtCatch(pi: string): Promise<void> {
  await h.waitFor(`instance ${pi} waiting for outage-restored`, async () => {
    const { rowCount } = await h.pool.query(`SELECT 1 FROM message_subscription WHERE process_instance_key = $1 AND message_name = 'outage-restored'`, [pi]);
    return rowCount ? true : undefined;
  });
}

describe('outages', () => {
  it('two linked instances waiting at the catch event, and one linked but not yet waiting, all continue when the outage is closed', async () => {
    const created = await call('hub', 'POST', '/api/outages', { title: '城关镇10kV城东线停电', area: 'urban' });
    expect(created.statusCode, created.body).toBe(201);
    const outage = created.json<OutageBody>();
    expect(outage).toMatchObject({ title: '城关镇10kV城东线停电', area: 'urban', state: 'open', createdBy: 'hub', closedAt: null, cause: null, linkCount: 0 });
    expect(outage.id).toBe(`OUT-${chinaDate(Date.now()).replaceAll('-', '')}-01`);

    const base = { customerName: '张伟', contactPhone: '13800000001', area: 'urban' };
    // A: the outage id comes with the case (e.g. from the triage form) and company.outage-link links it.
    const a = await h.start('outage-report', { ...base, outageId: outage.id });
    // B and C: the hub links them through the API while they are at triage.
    const b = await h.start('outage-report', base);
    const c = await h.start('outage-report', base);
    const triageB = await h.waitForTask(b, 'triage');
    const triageC = await h.waitForTask(c, 'triage');
    for (const pi of [b, c]) {
      const linked = await call('hub', 'POST', `/api/outages/${outage.id}/link`, { processInstanceKey: pi });
      expect(linked.statusCode, linked.body).toBe(200);
      expect(linked.json()).toMatchObject({ created: true, link: { processInstanceKey: pi, linkedBy: 'hub', notifiedAt: null } });
    }
    const again = await call('hub', 'POST', `/api/outages/${outage.id}/link`, { processInstanceKey: b });
    expect(again.json()).toMatchObject({ created: false, outage: { linkCount: 2 } });
    expect((await h.variables(b))['outageId']).toBe(outage.id);

    expect((await h.completeTask((await h.waitForTask(a, 'triage')).userTaskKey)).statusCode).toBe(204);
    expect((await h.completeTask(triageB.userTaskKey)).statusCode).toBe(204);
    await waitingAtCatch(a);
    await waitingAtCatch(b);
    const vars = await h.variables(a);
    expect(vars).toMatchObject({ outageId: outage.id, outageState: 'open' });
    expect(vars['businessKey']).toMatch(/^GZ-\d{8}-\d{4}$/);

    const detail = await call('manager', 'GET', `/api/outages/${outage.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json<{ links: Array<{ processInstanceKey: string; linkedBy: string }> }>().links.map((l) => [l.processInstanceKey, l.linkedBy]).sort()).toEqual(
      [
        [a, 'system:process'],
        [b, 'hub'],
        [c, 'hub'],
      ].sort(),
    );

    // Close while A and B wait and C is still at triage.
    const closed = await call('hub', 'POST', `/api/outages/${outage.id}/close`, { cause: '城东线10号杆绝缘子击穿' });
    expect(closed.statusCode, closed.body).toBe(200);
    const result = closed.json<{ outage: OutageBody; alreadyClosed: boolean; waiting: string[]; buffered: string[] }>();
    expect(result.outage).toMatchObject({ state: 'closed', closedBy: 'hub', cause: '城东线10号杆绝缘子击穿', linkCount: 3 });
    expect(result.alreadyClosed).toBe(false);
    expect(result.waiting.sort()).toEqual([a, b].sort());
    expect(result.buffered).toEqual([c]);

    await h.waitForEnd(a);
    await h.waitForEnd(b);
    for (const pi of [a, b]) {
      expect(await h.path(pi)).toEqual(['start', 'triage', 'number', 'link', 'wait', 'tell', 'end']);
      expect(await h.variables(pi)).toMatchObject({ cause: '城东线10号杆绝缘子击穿', restoredAt: result.outage.closedAt });
    }
    const { rows: sms } = await h.pool.query<{ text: string }>('SELECT text FROM customer_message WHERE process_instance_key = $1', [a]);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain('已恢复供电');
    expect(sms[0]!.text).toContain('停电原因：城东线10号杆绝缘子击穿');

    // C reaches the catch event after the close: its buffered message lets it through.
    expect((await h.completeTask(triageC.userTaskKey)).statusCode).toBe(204);
    await h.waitForEnd(c);
    expect(await h.variables(c)).toMatchObject({ outageState: 'closed', cause: '城东线10号杆绝缘子击穿' });

    const { rows: links } = await h.pool.query<{ k: string; notified: boolean }>(
      'SELECT process_instance_key::text AS k, notified_at IS NOT NULL AS notified FROM outage_link WHERE outage_id = $1 ORDER BY 1',
      [outage.id],
    );
    expect(Object.fromEntries(links.map((l) => [l.k, l.notified]))).toEqual({ [a]: true, [b]: true, [c]: false });

    // Closing again publishes again and changes nothing; linking to a closed outage is refused.
    const twice = await call('admin', 'POST', `/api/outages/${outage.id}/close`, { cause: '另一个原因' });
    expect(twice.statusCode).toBe(200);
    expect(twice.json()).toMatchObject({ alreadyClosed: true, waiting: [], buffered: [], outage: { cause: '城东线10号杆绝缘子击穿', closedBy: 'hub' } });
    const late = await h.start('outage-report', base);
    await h.waitForTask(late, 'triage');
    const refused = await call('hub', 'POST', `/api/outages/${outage.id}/link`, { processInstanceKey: late });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toContain('closed');

    // The audit entry is written once the answer is sent: wait for the last one.
    const expected = [
      'hub POST /api/outages/:outageId/link 200',
      'hub POST /api/outages/:outageId/close 200',
      'admin POST /api/outages/:outageId/close 200',
      'hub POST /api/outages/:outageId/link 409',
    ];
    const actions = await h.waitFor('the audit entries', async () => {
      const audit = await call('admin', 'GET', `/api/audit?objectType=outage&objectId=${outage.id}`);
      const list = audit.json<{ items: Array<{ action: string; username: string; status: number }> }>().items.map((i) => `${i.username} ${i.action} ${i.status}`);
      return expected.every((e) => list.includes(e)) ? list : undefined;
    });
    expect(actions).toEqual(expect.arrayContaining(expected));
  });

  it('lists by state, newest first; managers read, staff do not; managers cannot act', async () => {
    const second = (await call('admin', 'POST', '/api/outages', { title: '河口乡台区停电', area: 'rural' })).json<OutageBody>();
    const open = await call('manager', 'GET', '/api/outages?state=open');
    expect(open.statusCode).toBe(200);
    expect(open.json<{ items: OutageBody[] }>().items.map((o) => o.id)).toEqual([second.id]);
    const closed = await call('hub', 'GET', '/api/outages?state=closed');
    expect(closed.json<{ items: OutageBody[] }>().items.map((o) => o.state)).toEqual(['closed']);
    const all = await call('hub', 'GET', '/api/outages');
    expect(all.json<{ items: OutageBody[]; page: { totalItems: number } }>().page.totalItems).toBe(2);
    expect(all.json<{ items: OutageBody[] }>().items[0]!.id).toBe(second.id);

    expect((await call('staffA', 'GET', '/api/outages')).statusCode).toBe(403);
    expect((await call('manager', 'POST', '/api/outages', { title: 'x', area: 'urban' })).statusCode).toBe(403);
    expect((await call('manager', 'POST', `/api/outages/${second.id}/close`, { cause: 'x' })).statusCode).toBe(403);
  });

  it('refuses bad input and unknown outages or instances', async () => {
    expect((await call('hub', 'POST', '/api/outages', { title: '', area: 'urban' })).statusCode).toBe(400);
    expect((await call('hub', 'POST', '/api/outages', { title: '停电', area: 'city' })).statusCode).toBe(400);
    expect((await call('hub', 'GET', '/api/outages?state=half')).statusCode).toBe(400);
    expect((await call('hub', 'GET', '/api/outages/OUT-20991231-01')).statusCode).toBe(404);
    expect((await call('hub', 'POST', '/api/outages/OUT-20991231-01/close', { cause: '检修' })).statusCode).toBe(404);
    expect((await call('hub', 'POST', '/api/outages/OUT-20991231-01/link', { processInstanceKey: '2251799813685249' })).statusCode).toBe(404);
    const open = (await call('hub', 'GET', '/api/outages?state=open')).json<{ items: OutageBody[] }>().items[0]!;
    expect((await call('hub', 'POST', `/api/outages/${open.id}/close`, { cause: '  ' })).statusCode).toBe(400);
    // A report answers to one open outage.
    const pi = await h.start('outage-report', { customerName: '刘洋' });
    await h.waitForTask(pi, 'triage');
    expect((await call('hub', 'POST', `/api/outages/${open.id}/link`, { processInstanceKey: pi })).statusCode).toBe(200);
    const third = (await call('hub', 'POST', '/api/outages', { title: '另一处停电', area: 'rural' })).json<OutageBody>();
    const twice = await call('hub', 'POST', `/api/outages/${third.id}/link`, { processInstanceKey: pi });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ detail: string }>().detail).toContain(`linked to the open outage ${open.id}`);

    const unknown = await call('hub', 'POST', `/api/outages/${open.id}/link`, { processInstanceKey: '2251799813685249' });
    expect(unknown.statusCode).toBe(404);
    expect((await call('hub', 'POST', `/api/outages/${open.id}/link`, { processInstanceKey: 'abc' })).statusCode).toBe(400);
  });

  it('the routes are in the API document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { tags: string[] }>> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/outages', '/api/outages/{outageId}', '/api/outages/{outageId}/link', '/api/outages/{outageId}/close']),
    );
    expect(doc.paths['/api/outages']!['post']!.tags).toEqual(['outages']);
  });
});

const MISCONFIGURED = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d2" targetNamespace="t">
  <bpmn:process id="outage-link-retry" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="link" name="关联停电事件">
      <bpmn:extensionElements><zeebe:taskDefinition type="company.outage-link" retries="2" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="link" />
    <bpmn:sequenceFlow id="f2" sourceRef="link" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('a failing company handler in a diagram', () => {
  it('is retried, then raises an incident with the reason; repaired data and a resolution let the job run again', async () => {
    expect((await h.deploy(MISCONFIGURED, 'outage-link-retry.bpmn')).statusCode).toBe(200);
    const pi = await h.start('outage-link-retry', { outageId: 'OUT-20991231-07' });
    const inc = await h.waitFor('incident', async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ incidentKey: string; errorType: string; elementId: string; errorMessage: string }> }>().items[0];
    });
    expect(inc).toMatchObject({ errorType: 'JOB_NO_RETRIES', elementId: 'link' });
    expect(inc.errorMessage).toContain("no outage 'OUT-20991231-07'");

    const outage = (await call('hub', 'POST', '/api/outages', { title: '偏远地区线路停电', area: 'remote' })).json<OutageBody>();
    const put = await h.app.inject({ method: 'PUT', url: `/v2/element-instances/${pi}/variables`, headers: auth('admin'), payload: { variables: { outageId: outage.id } } });
    expect(put.statusCode).toBe(204);
    expect((await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {})).statusCode).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ outageId: outage.id, outageState: 'open' });
    const { rows } = await h.pool.query('SELECT count(*)::int AS n FROM outage_link WHERE outage_id = $1 AND process_instance_key = $2', [outage.id, pi]);
    expect(rows[0].n).toBe(1);
  });
});
