/**
 * What the simulated company does: the cases that arrive (process, variant, arrival instant by hour
 * of day), who works each user task, how long they take (a share of them late, so that limits
 * breach) and what they enter in the task's form. Deterministic for a seed.
 */

/** A small seeded generator (mulberry32): the same seed gives the same month. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}

export type ProcessId = 'fault-repair' | 'complaint' | 'business-expansion';
export type Area = 'urban' | 'rural' | 'remote';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** China time is UTC+8 all year. */
const CN = 8 * HOUR;

/** The case as the simulator plans it: its variant and the turns it will take. */
export interface SimCase {
  id: number;
  process: ProcessId;
  /** Variant for the summary, e.g. "urban", "hv-dual", "important/outage". */
  variant: string;
  arrivalMs: number;
  startVariables: Record<string, unknown>;
  startUser: string;
  /** Works late on every step (a share of cases, so breaches happen). */
  slow: boolean;
  outageGroup?: number;
  /** Fault repair: the fault is inside the customer's installation. */
  customerSide?: boolean;
  /** Fault repair: the customer owes (the demo accounts that owe). */
  arrears?: boolean;
  /** How many times the hub sends the report back (退单). */
  sendBacks: number;
  /** Complaint: how many return visits are unsatisfied (重办). */
  unsatisfied: number;
  /** Business expansion: missing material at acceptance, withdrawal, a second survey, rectifications. */
  missingMaterial?: boolean;
  withdraws?: boolean;
  resurvey?: boolean;
  rectify?: boolean;
  /** What the case has done so far, by element id. */
  done: Record<string, number>;
  processInstanceKey?: string;
}

export interface Outage {
  group: number;
  area: Area;
  title: string;
  /** Closing time (restored), from the first call. */
  closeAfterMs: number;
  firstCallMs: number;
  id?: string;
  closed?: boolean;
  linked: number;
}

/** Calls per hour of day (China time), relative: fault calls peak in the evening, office work by day. */
const HOURLY: Record<ProcessId, number[]> = {
  // 0 … 23 h
  'fault-repair': [2, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 6, 6, 6, 6, 7, 8, 10, 11, 10, 8, 5, 3],
  complaint: [0, 0, 0, 0, 0, 0, 0, 1, 6, 9, 9, 8, 4, 6, 8, 8, 7, 5, 3, 2, 1, 1, 0, 0],
  'business-expansion': [0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 10, 8, 2, 6, 9, 9, 7, 2, 0, 0, 0, 0, 0, 0],
};
const SHARE: Record<ProcessId, number> = { 'fault-repair': 0.6, complaint: 0.2, 'business-expansion': 0.2 };

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '桂英', '建华'];
const STREETS = ['解放路', '人民路', '北京路', '中山路', '建设路', '河口村', '东山村', '城关镇新街', '工业园区三路', '滨江大道'];

/** Hour-of-day weights × day, sampled: an instant in [dayStart, dayStart + 24h). */
function instantOnDay(rng: Rng, dayStartMs: number, process: ProcessId): number {
  const weights = HOURLY[process];
  let r = rng.next() * weights.reduce((a, b) => a + b, 0);
  let hour = 0;
  for (; hour < 23; hour++) {
    r -= weights[hour]!;
    if (r < 0) break;
  }
  return dayStartMs + hour * HOUR + Math.floor(rng.next() * HOUR);
}

export interface PlanOptions {
  /** Midnight (China time) of the first simulated day, as epoch ms. */
  fromMs: number;
  days: number;
  cases: number;
  seed: number;
  /** Latest arrival per business-expansion class and process, so that every limit stays inside the calendar. */
  latestArrival: (process: ProcessId, customerClass?: string) => number;
}

/** Plans every case of the window, in arrival order, with the mass outages among the fault calls. */
export function planCases(o: PlanOptions): { cases: SimCase[]; outages: Outage[]; demoted: number } {
  const rng = new Rng(o.seed);
  const cases: SimCase[] = [];
  const outages: Outage[] = [];
  let demoted = 0;
  // One mass outage per ten days (at least one), 3–7 calls each, within an hour of each other.
  const outageCount = Math.max(1, Math.round(o.days / 10));
  let outageCalls = 0;
  for (let g = 0; g < outageCount; g++) {
    const area = rng.pick(['urban', 'rural', 'remote'] as const);
    const day = Math.min(o.days - 1, Math.floor(((g + 0.5) * o.days) / outageCount));
    const first = o.fromMs + day * DAY + rng.int(9, 19) * HOUR + rng.int(0, 59) * MIN;
    outages.push({ group: g, area, title: `10kV ${rng.pick(['河口', '东山', '城北', '新区', '南湖'])}线跳闸（${area === 'urban' ? '城区' : area === 'rural' ? '农村' : '边远'}）`, firstCallMs: first, closeAfterMs: rng.int(100, 200) * MIN, linked: 0 });
    outageCalls += rng.int(3, 7);
  }
  const perOutage = outages.map(() => 0);
  for (let i = 0; i < outageCalls; i++) perOutage[i % outages.length]! += 1;

  const regular = Math.max(0, o.cases - outageCalls);
  let id = 0;
  const person = () => `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}`;
  const phone = () => `1${rng.pick(['3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
  const address = (area: Area) => `${area === 'urban' ? '城区' : area === 'rural' ? '乡镇' : '山区'}${rng.pick(STREETS)} ${rng.int(1, 300)} 号`;
  const account = () => (rng.chance(0.04) ? rng.pick(['0100000002', '0100000006']) : String(3_100_000_000 + rng.int(1, 899_999_999)));
  const areaOf = () => rng.weighted({ urban: 55, rural: 35, remote: 10 } as const);
  const base = (): Pick<SimCase, 'slow' | 'sendBacks' | 'unsatisfied' | 'done'> => ({ slow: rng.chance(0.05), sendBacks: 0, unsatisfied: 0, done: {} });

  for (let i = 0; i < regular; i++) {
    const process = rng.weighted(SHARE);
    const day = rng.int(0, o.days - 1);
    let arrivalMs = instantOnDay(rng, o.fromMs + day * DAY, process);
    const area = areaOf();
    const c: SimCase = { id: id++, process, variant: '', arrivalMs, startVariables: {}, startUser: 'agent95598', ...base() };
    if (process === 'fault-repair') {
      const accountNo = account();
      const lineDamage = rng.chance(0.12);
      c.customerSide = !lineDamage && rng.chance(0.08);
      c.arrears = accountNo === '0100000002' || accountNo === '0100000006';
      c.sendBacks = rng.chance(0.06) ? 1 : 0;
      c.unsatisfied = rng.chance(0.05) ? 1 : 0;
      c.variant = c.arrears ? 'arrears' : lineDamage ? 'line-damage' : c.customerSide ? `customer-side` : area;
      c.startUser = rng.pick(['agent95598', 'agent2', 'agent3']);
      c.startVariables = {
        customerName: person(),
        accountNo,
        contactPhone: phone(),
        address: address(area),
        area,
        customerClass: rng.chance(0.85) ? 'lv-residential' : 'lv-nonresidential',
        faultType: lineDamage ? 'line-damage' : rng.pick(['no-power', 'no-power', 'partial-power', 'voltage', 'meter']),
        faultDescription: lineDamage ? '电线杆倾斜，导线断落' : '家中无电',
        boundaryJudgement: 'unknown',
        important: false,
      };
    } else if (process === 'complaint') {
      const latest = o.latestArrival(process);
      if (arrivalMs > latest) c.arrivalMs = instantOnDay(rng, o.fromMs + rng.int(0, Math.max(0, Math.floor((latest - o.fromMs) / DAY))) * DAY, process);
      const severity = rng.weighted({ general: 70, important: 24, major: 6 } as const);
      const complaintType = rng.weighted({ service: 30, business: 25, outage: 25, quality: 12, construction: 8 } as const);
      c.sendBacks = rng.chance(0.1) ? 1 : 0;
      // Reopened (重办): most once, a few beyond the limit of reopenings (then leadership).
      c.unsatisfied = rng.chance(0.12) ? (rng.chance(0.25) ? 3 : 1) : 0;
      c.variant = `${severity}/${complaintType}`;
      c.startUser = rng.pick(['agent95598', 'agent2', 'agent3']);
      c.startVariables = {
        customerName: person(),
        accountNo: String(3_100_000_000 + rng.int(1, 899_999_999)),
        contactPhone: phone(),
        address: address(area),
        area,
        customerClass: 'lv-residential',
        complaintType,
        severity,
        complaintDetail: { service: '营业厅工作人员态度差', business: '电费突增，怀疑计量不准', outage: '一周内多次停电', quality: '电压偏低，电器无法启动', construction: '施工占道未恢复' }[complaintType],
        important: severity !== 'general',
      };
    } else {
      let customerClass = rng.weighted({ 'lv-residential': 55, 'lv-nonresidential': 27, 'hv-single': 12, 'hv-dual': 6 } as const) as string;
      // A class whose limits would reach past the calendar's last year is not simulated so late.
      if (arrivalMs > o.latestArrival(process, customerClass)) {
        customerClass = 'lv-residential';
        demoted++;
      }
      // Applications the calendar cannot carry to their end arrive earlier in the window instead.
      const latest = o.latestArrival(process, customerClass);
      if (arrivalMs > latest) arrivalMs = instantOnDay(rng, o.fromMs + rng.int(0, Math.max(0, Math.floor((latest - o.fromMs) / DAY))) * DAY, process);
      c.arrivalMs = arrivalMs;
      const hv = customerClass.startsWith('hv');
      // High-voltage cases run for weeks: late on every step, they would reach past the calendar.
      if (hv) c.slow = false;
      c.missingMaterial = rng.chance(0.1);
      c.withdraws = !!c.missingMaterial && rng.chance(0.2);
      c.resurvey = rng.chance(0.05);
      c.rectify = rng.chance(0.15);
      c.unsatisfied = rng.chance(0.05) ? 1 : 0;
      c.variant = customerClass + (hv && customerClass === 'hv-dual' ? '' : '');
      c.startUser = rng.pick(['hub', 'hub2', 'marketing1']);
      c.startVariables = {
        customerName: hv ? `${rng.pick(['城东', '河口', '新区', '南湖'])}${rng.pick(['数据中心', '制造有限公司', '物流园', '医院'])}` : person(),
        accountNo: account(),
        address: address(area),
        area,
        customerClass,
        applicationType: rng.chance(0.8) ? 'new' : 'increase',
        capacityKw: { 'lv-residential': 8, 'lv-nonresidential': 40, 'hv-single': 630, 'hv-dual': 4000 }[customerClass]!,
        contactPhone: phone(),
        important: hv && rng.chance(customerClass === 'hv-dual' ? 0.8 : 0.3),
      };
    }
    cases.push(c);
  }
  outages.forEach((out, g) => {
    for (let k = 0; k < perOutage[g]!; k++) {
      const c: SimCase = {
        id: id++,
        process: 'fault-repair',
        variant: 'mass-outage',
        arrivalMs: out.firstCallMs + k * rng.int(3, 12) * MIN,
        startUser: rng.pick(['agent95598', 'agent2', 'agent3']),
        outageGroup: g,
        ...base(),
        slow: false,
        startVariables: {
          customerName: person(),
          accountNo: String(3_100_000_000 + rng.int(1, 899_999_999)),
          contactPhone: phone(),
          address: address(out.area),
          area: out.area,
          customerClass: 'lv-residential',
          faultType: 'area-outage',
          faultDescription: '整片停电',
          boundaryJudgement: 'unknown',
          important: false,
        },
      };
      cases.push(c);
    }
  });
  cases.sort((a, b) => a.arrivalMs - b.arrivalMs);
  // However small the run, it shows each kind of trouble once: a slow case of each process (its
  // steps breach), a report sent back, a complaint reopened (重办).
  for (const p of ['fault-repair', 'complaint', 'business-expansion'] as const) {
    const first = cases.find((c) => c.process === p && c.outageGroup === undefined && !c.arrears && !String(c.startVariables.customerClass).startsWith('hv'));
    if (first) first.slow = true;
  }
  const sendBack = cases.find((c) => c.process === 'fault-repair' && c.variant !== 'mass-outage' && !c.arrears && !c.slow);
  if (sendBack) sendBack.sendBacks = Math.max(1, sendBack.sendBacks);
  const reopened = cases.find((c) => c.process === 'complaint' && !c.slow);
  if (reopened) reopened.unsatisfied = Math.max(1, reopened.unsatisfied);
  return { cases, outages, demoted };
}

/** Who of the demo company works a task offered to `group` (server/auth/demo.ts). */
const WORKERS: Record<string, string[]> = {
  marketing: ['hub', 'hub2', 'marketing1', 'marketing2'],
  'customer-service': ['agent95598', 'agent2', 'agent3'],
  'station-urban': ['station', 'urban2'],
  'station-rural': ['rural1', 'rural2'],
  'station-remote': ['remote1', 'remote2'],
  operations: ['crew', 'crew2'],
  planning: ['planner1', 'planner2'],
  dispatch: ['dispatcher1', 'dispatcher2'],
  metering: ['meter1', 'meter2'],
  leadership: ['leader'],
};
/** Steps of the hub that only coordinators may act on (queue decisions); staff of 营销部 do the rest. */
const HUB_DECISIONS = new Set(['dispatch', 'review', 'hub-dispatch', 'hub-review', 'hub-supervise', 'follow-up']);

export function workerFor(rng: Rng, elementId: string, groups: string[]): string {
  const group = groups.find((g) => WORKERS[g]) ?? 'marketing';
  if (group === 'marketing' && HUB_DECISIONS.has(elementId)) return rng.pick(['hub', 'hub2']);
  return rng.pick(WORKERS[group]!);
}

/**
 * How long the worker takes, from the task's creation: most well inside the limit, a share late
 * (every step of a slow case, 5 % of the cases, and 3 % of the other steps). Natural time; office steps are moved into
 * office hours by the caller.
 */
export function delayFor(rng: Rng, c: SimCase, process: ProcessId, elementId: string): number {
  // A slow case is late on about half of its steps.
  const late = c.slow ? rng.chance(0.5) : rng.chance(0.03);
  const m = (lo: number, hi: number) => rng.between(lo, hi) * MIN;
  const h = (lo: number, hi: number) => rng.between(lo, hi) * HOUR;
  const d = (lo: number, hi: number) => rng.between(lo, hi) * DAY;
  if (process === 'fault-repair') {
    switch (elementId) {
      case 'accept':
      case 'dispatch':
      case 'station-accept':
      case 'ops-accept':
        return late ? m(12, 30) : m(1, 7);
      case 'station-arrive':
      case 'ops-arrive':
        return late ? m(130, 200) : m(15, 40); // arrival limits 45 / 90 / 120 min
      case 'station-restore':
      case 'ops-restore':
        return late ? h(4.5, 6) : h(0.5, 2.5); // restoration 3 / 4 h
      case 'return-visit':
      case 'follow-up':
        return late ? h(26, 36) : h(2, 20);
      default:
        return late ? h(1.2, 3) : m(10, 50);
    }
  }
  if (process === 'complaint') {
    switch (elementId) {
      case 'hub-dispatch':
      case 'hub-review':
      case 'leader-approve':
        return late ? h(6, 20) : h(0.3, 2.5);
      case 'leader-instruct':
      case 'hub-supervise':
        return late ? h(2.5, 5) : m(20, 90);
      case 'contact-customer':
        return late ? d(2, 3) : h(1, 6);
      case 'investigate':
        return late ? d(7.5, 9) : d(1, 4);
      case 'reply-customer':
        return late ? d(2, 3) : h(1, 8);
      case 'return-visit':
        return late ? d(5, 6) : d(0.5, 2);
      default:
        return late ? d(2, 4) : h(2, 20);
    }
  }
  switch (elementId) {
    case 'customer-supplement':
    case 'customer-design':
    case 'customer-concealed':
    case 'customer-construction':
      return d(1, 4); // the customer's own time (the own-steps clock pauses)
    case 'accept':
      return late ? d(2, 3) : h(1, 6);
    case 'survey':
    case 'plan-draft':
    case 'plan-reply':
    case 'fees':
    case 'contract':
    case 'power-on':
    case 'meter-install':
    case 'hv-power-on':
      return late ? d(3, 4.5) : d(0.5, 1.8);
    case 'design-review':
    case 'mid-inspection':
    case 'completion-inspection':
      return late ? d(7, 9) : d(1, 3);
    default:
      return late ? d(3, 4.5) : d(0.5, 2);
  }
}

/** Steps done in the office move into 08:30–17:30 China time on a weekday (fault repair runs day and night). */
export function inOfficeHours(process: ProcessId, elementId: string, atMs: number): number {
  // Fault repair and the 95598 centre work day and night.
  if (process === 'fault-repair') return atMs;
  let t = atMs;
  for (let i = 0; i < 10; i++) {
    const local = new Date(t + CN);
    const dow = local.getUTCDay();
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
    const midnight = t - (minutes * MIN + local.getUTCSeconds() * 1000 + local.getUTCMilliseconds());
    if (dow === 0 || dow === 6 || minutes >= 17 * 60 + 30) {
      t = midnight + DAY + 9 * HOUR + (t % (90 * MIN));
      continue;
    }
    if (minutes < 8 * 60 + 30) return midnight + 9 * HOUR + (t % (60 * MIN));
    return t;
  }
  return t;
}

/** The demo accounts that owe (company/migrations/0016_company.sql). */
const owes = (v: Record<string, unknown>) => v.accountNo === '0100000002' || v.accountNo === '0100000006';
const chinaDay = (ms: number) => new Date(ms + CN).toISOString().slice(0, 10);
const chinaMinute = (ms: number) => new Date(ms + CN).toISOString().slice(0, 16).replace('T', ' ');

/** What the worker enters in the task's form; undefined: the simulator does not know this step. */
export function formValues(rng: Rng, c: SimCase, elementId: string, nowMs: number, outage?: Outage): Record<string, unknown> | undefined {
  const count = (c.done[elementId] ?? 0) + 0;
  const v = c.startVariables;
  if (c.process === 'fault-repair') {
    switch (elementId) {
      case 'accept':
        return c.arrears ? { acceptResult: 'arrears', acceptNote: '欠费停电，已告知缴费后复电' } : { acceptResult: 'repair', acceptNote: '未达停电条件，派修' };
      case 'dispatch':
        if (outage?.id) return { dispatchTo: 'outage', outageId: outage.id, dispatchNote: '并入停电事件' };
        return { dispatchTo: v.area === 'urban' || !outage ? 'station' : 'station', dispatchNote: '按区域派发' };
      case 'station-accept':
      case 'ops-accept':
        return { crewLeader: rng.pick(['赵师傅', '钱师傅', '刘师傅', '杨师傅']), crewPhone: '13900139000' };
      case 'station-arrive':
        return c.customerSide
          ? { arrivedAt: new Date(nowMs).toISOString(), faultSide: 'customer', faultClass: 'customer-installation', siteNote: '表后客户线路故障' }
          : { arrivedAt: new Date(nowMs).toISOString(), faultSide: 'utility', faultClass: rng.pick(['service-drop', 'lv-line', 'meter-box']), siteNote: '现场查看' };
      case 'ops-arrive':
        return { arrivedAt: new Date(nowMs).toISOString(), faultClass: 'mv-line', siteNote: '线路受损' };
      case 'customer-side':
        return { explained: true, vulnerable: false, paidServiceConsent: false, customerSideNote: '已向客户说明产权分界，建议联系电工' };
      case 'station-restore':
      case 'ops-restore':
        return { restoredAt: new Date(nowMs).toISOString(), cause: rng.pick(['进户线接头烧断', '熔断器熔断', '导线断线', '表箱开关损坏']) };
      case 'station-report':
      case 'ops-report':
        return { handler: '赵师傅', repairResult: c.customerSide ? 'customer-explained' : 'restored', reportNote: count > 0 ? '已更正回单' : '已恢复送电' };
      case 'review':
        return (c.done['review'] ?? 0) < c.sendBacks ? { reviewResult: 'send-back', hubComment: '到达时间与送电时间不一致，请核实' } : { reviewResult: 'pass', hubComment: '一致' };
      case 'return-visit':
        return { satisfaction: (c.done['return-visit'] ?? 0) < c.unsatisfied ? 'unsatisfied' : rng.pick(['satisfied', 'satisfied', 'basically-satisfied']), expectation: 'met', visitNote: '回访完成' };
      case 'follow-up':
        return { followUpAction: 'explained', followUpResult: '已向客户解释' };
    }
    return undefined;
  }
  if (c.process === 'complaint') {
    const dept = v.complaintType === 'outage' || v.complaintType === 'quality' ? (v.complaintType === 'outage' ? 'operations' : `station-${String(v.area)}`)
      : v.complaintType === 'business' ? 'metering' : v.complaintType === 'construction' ? 'planning' : `station-${String(v.area)}`;
    switch (elementId) {
      case 'hub-dispatch':
        return { complaintType: v.complaintType, severity: v.severity, handlingDept: dept, dispatchNote: '请核实处理' };
      case 'leader-instruct':
        return { leaderInstruction: '三日内查明原因，逐户答复' };
      case 'contact-customer':
        return { contactResult: 'reached', contactNote: '已电话联系客户' };
      case 'investigate':
        return { complaintCause: '经核实情况属实', responsibility: rng.pick(['company', 'company', 'customer', 'third-party']), handlingResult: '已整改并向客户说明', handler: rng.pick(['赵师傅', '孙工', '刘师傅']) };
      case 'hub-review':
        return (c.done['hub-review'] ?? 0) < c.sendBacks ? { reviewResult: 'send-back', reviewNote: '未附处理依据，退回补充' } : { reviewResult: 'approved', reviewNote: '同意' };
      case 'leader-approve':
        return { leaderApproval: '同意答复' };
      case 'reply-customer':
        return { replyChannel: rng.pick(['phone', 'sms']), replyText: '您反映的问题已处理完毕，特此答复。' };
      case 'return-visit': {
        const unsatisfied = (c.done['return-visit'] ?? 0) < c.unsatisfied;
        return { satisfaction: unsatisfied ? 'unsatisfied' : rng.pick(['satisfied', 'basically-satisfied']), perceivedScore: unsatisfied ? 2 : rng.int(4, 5), expectedDays: 3, visitNote: '回访完成' };
      }
      case 'hub-supervise':
        return { supervisionNote: '营销部督办', supervisionDecision: rng.chance(0.3) ? 'leadership' : 'hub' };
      case 'leader-supervise':
        return { leaderSupervisionNote: '今日内答复客户' };
      case 'leader-handle':
        return { leaderResolution: '公司领导牵头处理，限期整改' };
    }
    return undefined;
  }
  switch (elementId) {
    case 'accept':
      if (owes(v)) return { acceptResult: 'arrears', acceptNote: '客户欠费，请缴清后办理' };
      if (c.missingMaterial && !c.done['accept']) return { acceptResult: 'missing-material', missingMaterials: '房产证明', acceptNote: '资料不全' };
      return { acceptResult: 'accepted', acceptNote: '资料齐全' };
    case 'customer-supplement': {
      // A customer who owes does not pay in the demo data (the arrears check finds the debt again
      // each time): after a second request they withdraw, as does anyone asked a third time.
      const withdraws = c.withdraws || (c.done['customer-supplement'] ?? 0) >= (owes(v) ? 1 : 2);
      return { customerResponse: withdraws ? 'withdrawn' : 'supplied', supplementNote: withdraws ? '客户暂不办理' : '已补齐' };
    }
    case 'survey': {
      const cls = String(v.customerClass);
      return { surveyDate: chinaDay(nowMs), supplyVoltage: cls === 'hv-dual' ? 'hv-35' : cls === 'hv-single' ? 'hv-10' : cls === 'lv-nonresidential' ? 'lv-380' : 'lv-220', confirmedCapacityKw: v.capacityKw, surveyFindings: '具备接入条件' };
    }
    case 'plan-draft':
      return { supplyPoint: '110kV 城东变 10kV 东三线', supplyPlan: '10kV 供电，专变，高供高计' };
    case 'plan-reply':
      return c.resurvey && !c.done['plan-reply'] ? { planDecision: 'resurvey', replyText: '缺少计量方式，重新勘查' } : { planDecision: 'reply', replyText: '供电方案已书面答复' };
    case 'fees':
      return String(v.customerClass).startsWith('hv') ? { feeAmount: 52_000, receiptNo: `SF-${c.id + 1000}` } : { feeAmount: 0 };
    case 'customer-design':
      return { designSubmitted: 'submitted', designUnit: '省电力设计院' };
    case 'design-review':
      return c.rectify && !c.done['design-review'] ? { designResult: 'revise', reviewOpinion: '方案需补充' } : { designResult: 'approved', reviewOpinion: '同意' };
    case 'customer-concealed':
      return { concealedReported: 'reported' };
    case 'mid-inspection':
      return { midResult: 'passed' };
    case 'customer-construction':
      return { constructionReported: 'reported', constructionUnit: '某某电力安装公司' };
    case 'completion-inspection':
      return c.rectify && !c.done['completion-inspection'] ? { inspectionResult: 'rectify', defects: '接地电阻超标' } : { inspectionResult: 'passed' };
    case 'contract':
      return { contractNo: `HT-2026-${String(c.id).padStart(5, '0')}`, contractSignedOn: chinaDay(nowMs) };
    case 'power-on':
      return { meterNo: `33000${String(c.id).padStart(8, '0')}`, powerOnAt: chinaMinute(nowMs) };
    case 'meter-install':
      return { meterNo: `33100${String(c.id).padStart(8, '0')}`, meterInstalledOn: chinaDay(nowMs) };
    case 'hv-power-on':
      return { dispatchOrderNo: `DD-${c.id + 1000}`, powerOnAt: chinaMinute(nowMs) };
    case 'archive':
      return { archiveNo: `DA-2026-${String(c.id).padStart(5, '0')}`, documentsComplete: 'complete' };
    case 'return-visit':
      return { satisfaction: (c.done['return-visit'] ?? 0) < c.unsatisfied ? 'unsatisfied' : 'satisfied', expectation: 'met', visitNote: '回访完成' };
  }
  return undefined;
}
