/**
 * The case's key data from the instance's variables, as the three service processes name them
 * (processes/forms/*-start.form): who the customer is, where, and what the call is about. Code values
 * of the company's lists are shown by their labels.
 */
import { h } from '../../dom.js';
import { language, messages } from '../../text.js';

const label = messages({
  businessKey: ['业务编号', 'Business key'],
  customerName: ['客户名称', 'Customer'],
  accountNo: ['户号', 'Account'],
  contactPhone: ['联系电话', 'Phone'],
  address: ['地址', 'Address'],
  area: ['区域', 'Area'],
  customerClass: ['客户类别', 'Customer class'],
  important: ['重要客户', 'Important customer'],
  faultType: ['故障类型', 'Fault type'],
  faultDescription: ['故障描述', 'Fault description'],
  boundaryJudgement: ['产权初判', 'Ownership (first judgement)'],
  complaintType: ['投诉类型', 'Complaint type'],
  severity: ['严重程度', 'Severity'],
  complaintDetail: ['投诉内容', 'Complaint'],
  applicationType: ['业务类型', 'Application type'],
  capacityKw: ['申请容量（kW）', 'Capacity (kW)'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
});

export const CASE_KEYS = [
  'businessKey',
  'customerName',
  'accountNo',
  'contactPhone',
  'address',
  'area',
  'customerClass',
  'important',
  'faultType',
  'faultDescription',
  'boundaryJudgement',
  'complaintType',
  'severity',
  'complaintDetail',
  'applicationType',
  'capacityKw',
] as const;

const CODES: Record<string, Record<string, [string, string]>> = {
  area: { urban: ['城区', 'urban'], rural: ['农村', 'rural'], remote: ['偏远地区', 'remote'] },
  customerClass: {
    'lv-residential': ['低压居民', 'low-voltage residential'],
    'lv-nonresidential': ['低压非居民', 'low-voltage non-residential'],
    'hv-single': ['高压单电源', 'high-voltage, single supply'],
    'hv-dual': ['高压双电源', 'high-voltage, dual supply'],
  },
  faultType: {
    'no-power': ['无电（全部停电）', 'no power'],
    'partial-power': ['部分无电', 'partial power'],
    voltage: ['电压异常', 'abnormal voltage'],
    meter: ['计量装置故障', 'meter fault'],
    'line-damage': ['线路或设备损坏', 'line or equipment damage'],
    'area-outage': ['大面积停电', 'area outage'],
    other: ['其他', 'other'],
  },
  boundaryJudgement: { utility: ['供电企业产权', 'utility'], customer: ['客户产权（表后）', 'customer'], unknown: ['待现场确认', 'to be checked on site'] },
  complaintType: {
    service: ['服务投诉', 'service'],
    business: ['营业投诉', 'business'],
    outage: ['停电及复电投诉', 'outage'],
    quality: ['供电质量投诉', 'supply quality'],
    construction: ['电网建设投诉', 'grid construction'],
  },
  severity: { general: ['一般', 'general'], important: ['重要', 'important'], major: ['重大', 'major'] },
  applicationType: { new: ['新装', 'new connection'], increase: ['增容', 'capacity increase'] },
};

export function caseValue(key: string, value: unknown): string {
  if (value === true) return label('yes');
  if (value === false) return label('no');
  if (typeof value === 'string') {
    const code = CODES[key]?.[value];
    return code ? code[language() === 'en' ? 1 : 0] : value;
  }
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export function caseLabel(key: string): string {
  return (CASE_KEYS as readonly string[]).includes(key) ? label(key as (typeof CASE_KEYS)[number]) : key;
}

/** The case's key data as a description list (only what the instance has); null when it has none. */
export function caseList(variables: Record<string, unknown>): HTMLDListElement | null {
  const rows = CASE_KEYS.filter((k) => variables[k] !== undefined && variables[k] !== null && variables[k] !== '');
  if (rows.length === 0) return null;
  return h(
    'dl',
    { class: 'case-data' },
    ...rows.flatMap((k) => {
      const v = variables[k];
      const text = caseValue(k, v);
      const value = k === 'contactPhone' && typeof v === 'string' ? h('a', { href: `tel:${v.replace(/[^0-9+]/g, '')}` }, text) : text;
      return [h('dt', {}, label(k)), h('dd', { dataset: { key: k } }, value)];
    }),
  );
}
