/**
 * Exports of scorecards, the ranking and drill-downs: CSV (UTF-8 with a byte-order mark, so Excel
 * shows Chinese; CRLF line ends) and Excel workbooks (exceljs) with Chinese headers. A cell that
 * starts with = + - @ (or a tab/CR) is prefixed with ' so that no spreadsheet takes it for a formula.
 */
import ExcelJS from 'exceljs';
import type { DrillPage } from './drilldown.js';
import type { MonthScorecards, Ranking } from './scorecards.js';

export interface Column {
  key: string;
  header: string;
  /** number format for Excel, e.g. '0.00%' */
  format?: string;
  width?: number;
}
export interface Sheet {
  name: string;
  columns: Column[];
  rows: Array<Record<string, unknown>>;
}
export type ExportFormat = 'csv' | 'xlsx';

const FORMULA = /^[=+\-@\t\r]/;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(text).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A value as a spreadsheet cell: numbers stay numbers, text that looks like a formula is neutralised. */
function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const s = text(value);
  return FORMULA.test(s) ? `'${s}` : s;
}

export function toCsv(sheet: Sheet): Buffer {
  const field = (v: unknown) => {
    const c = cell(v);
    const s = c === null ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [sheet.columns.map((c) => field(c.header)).join(',')];
  for (const row of sheet.rows) lines.push(sheet.columns.map((c) => field(row[c.key])).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}

export async function toXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '供电服务流程平台';
  wb.created = new Date(0);
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of s.rows) ws.addRow(Object.fromEntries(s.columns.map((c) => [c.key, cell(row[c.key])])));
    s.columns.forEach((c, i) => {
      if (c.format) ws.getColumn(i + 1).numFmt = c.format;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const PCT = '0.00%';

export function scorecardSheets(m: MonthScorecards): Sheet[] {
  const main: Sheet = {
    name: `考核得分 ${m.month}`,
    columns: [
      { key: 'rank', header: '排名' },
      { key: 'departmentId', header: '部门编号' },
      { key: 'name', header: '部门', width: 24 },
      { key: 'score', header: '得分' },
      { key: 'deductions', header: '扣分合计' },
      { key: 'breachPoints', header: '超时扣分' },
      { key: 'ratePoints', header: '指标扣分' },
      { key: 'onTime', header: '工单及时率', format: PCT },
      { key: 'firstTime', header: '一次办结率', format: PCT },
      { key: 'satisfaction', header: '回访满意率', format: PCT },
      { key: 'complaints', header: '千户投诉率（‰）' },
      { key: 'bxCompliance', header: '业扩时限达标率', format: PCT },
      { key: 'breaches', header: '超时次数' },
      { key: 'exempted', header: '报备免责次数' },
      { key: 'ruleVersion', header: '规则版本' },
      { key: 'provisional', header: '临时（月未结束）' },
    ],
    rows: m.scorecards.map((c) => ({
      rank: c.rank,
      departmentId: c.departmentId,
      name: c.name,
      score: c.score,
      deductions: c.deductions.total,
      breachPoints: c.deductions.breaches,
      ratePoints: c.deductions.rates,
      onTime: c.indicators.onTime.rate,
      firstTime: c.indicators.firstTime.rate,
      satisfaction: c.indicators.satisfaction.rate,
      complaints: c.indicators.complaints.perThousand,
      bxCompliance: c.indicators.bxCompliance.rate,
      breaches: c.indicators.breaches.count,
      exempted: c.indicators.breaches.exempted,
      ruleVersion: c.ruleVersion,
      provisional: m.provisional ? '是' : '否',
    })),
  };
  const KIND: Record<string, string> = { breach: '超时', rate: '指标未达标', cap: '封顶' };
  const details: Sheet = {
    name: '扣分明细',
    columns: [
      { key: 'departmentId', header: '部门编号' },
      { key: 'kind', header: '类别' },
      { key: 'what', header: '事项', width: 40 },
      { key: 'businessKey', header: '工单号' },
      { key: 'processInstanceKey', header: '流程实例' },
      { key: 'at', header: '时间', width: 26 },
      { key: 'ruleVersion', header: '规则版本' },
      { key: 'points', header: '扣分' },
    ],
    rows: m.scorecards.flatMap((c) =>
      c.deductions.items.map((it) => ({
        departmentId: c.departmentId,
        kind: KIND[it.kind] ?? it.kind,
        what:
          it.kind === 'breach'
            ? `${it.bpmnProcessId} / ${it.elementId}`
            : it.kind === 'rate'
              ? `${it.indicator}: ${it.value} (目标 ${it.target}, ${it.steps} 档)`
              : `${it.of} 上限 ${it.cap}`,
        businessKey: it.kind === 'breach' ? it.businessKey : null,
        processInstanceKey: it.kind === 'breach' ? it.processInstanceKey : null,
        at: it.kind === 'breach' ? it.at : null,
        ruleVersion: it.ruleVersion,
        points: it.points,
      })),
    ),
  };
  return [main, details];
}

export function rankingSheet(r: Ranking): Sheet {
  return {
    name: `排名 ${r.month}`,
    columns: [
      { key: 'rank', header: '排名' },
      { key: 'departmentId', header: '部门编号' },
      { key: 'name', header: '部门', width: 24 },
      { key: 'score', header: '得分' },
      { key: 'deductions', header: '扣分合计' },
      { key: 'breaches', header: '超时次数（计分）' },
      { key: 'onTimeRate', header: '工单及时率', format: PCT },
    ],
    rows: r.items,
  };
}

export function drillSheet(d: DrillPage): Sheet {
  const events = (list: unknown) =>
    Array.isArray(list) ? list.map((e: { type: string; at: string; level?: number | null }) => `${e.type}${e.level ? e.level : ''} ${e.at}`).join('; ') : '';
  if (d.rowKind === 'clock') {
    return {
      name: `明细 ${d.indicator}`,
      columns: [
        { key: 'businessKey', header: '工单号' },
        { key: 'processInstanceKey', header: '流程实例' },
        { key: 'bpmnProcessId', header: '流程' },
        { key: 'elementId', header: '环节' },
        { key: 'name', header: '环节名称' },
        { key: 'department', header: '责任部门' },
        { key: 'assignee', header: '处理人' },
        { key: 'startedAt', header: '开始', width: 26 },
        { key: 'dueAt', header: '时限', width: 26 },
        { key: 'endedAt', header: '结束', width: 26 },
        { key: 'outcome', header: '结果' },
        { key: 'usedMinutes', header: '用时（分钟）' },
        { key: 'limitMinutes', header: '时限（分钟）' },
        { key: 'exemption', header: '报备' },
        { key: 'events', header: '时限事件', width: 60 },
      ],
      rows: d.items.map((r) => ({
        ...r,
        usedMinutes: Math.round(Number(r.usedMs) / 60_000),
        limitMinutes: Math.round(Number(r.limitMs) / 60_000),
        exemption: r.exemption ? (r.exemption as { state: string }).state : '',
        events: events(r.events),
      })),
    };
  }
  if (d.rowKind === 'evaluation') {
    return {
      name: `明细 ${d.indicator}`,
      columns: [
        { key: 'businessKey', header: '工单号' },
        { key: 'processInstanceKey', header: '流程实例' },
        { key: 'bpmnProcessId', header: '流程' },
        { key: 'department', header: '责任部门' },
        { key: 'channel', header: '回访方式' },
        { key: 'satisfaction', header: '满意度（1–5）' },
        { key: 'expectedMinutes', header: '期望用时（分钟）' },
        { key: 'perceivedMinutes', header: '感知用时（分钟）' },
        { key: 'recordedAt', header: '回访时间', width: 26 },
      ],
      rows: d.items,
    };
  }
  return {
    name: `明细 ${d.indicator}`,
    columns: [
      { key: 'businessKey', header: '工单号' },
      { key: 'processInstanceKey', header: '流程实例' },
      { key: 'bpmnProcessId', header: '流程' },
      { key: 'state', header: '状态' },
      { key: 'startDate', header: '受理', width: 26 },
      { key: 'endDate', header: '办结', width: 26 },
      { key: 'customerClass', header: '客户类别' },
      { key: 'area', header: '区域' },
      { key: 'departments', header: '责任部门' },
      { key: 'sendBacks', header: '退单次数' },
      { key: 'reopenings', header: '重办次数' },
      { key: 'breached', header: '超时环节' },
    ],
    rows: d.items.map((r) => ({ ...r, breached: (r.breachedClocks as Array<{ clockKey: string }>).map((c) => c.clockKey).join('; ') })),
  };
}
