/**
 * The customer's evaluation page (/e/<token>): a small server-rendered HTML page in Chinese,
 * readable on a phone, without scripts (the web app's Content-Security-Policy allows none inline)
 * and without an account. Every value from the database or the request goes through escapeHtml.
 * The form posts application/x-www-form-urlencoded back to the same address (parseLinkForm).
 */
import { MAX_COMMENT_LENGTH, MAX_MINUTES, type EvaluationInput } from './evaluations.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const PROCESS_NAMES: Record<string, string> = { 'fault-repair': '故障报修', 'business-expansion': '用电业务办理（业扩报装）', complaint: '投诉' };
const SCORES: Array<[number, string]> = [
  [5, '非常满意'],
  [4, '满意'],
  [3, '一般'],
  [2, '不满意'],
  [1, '非常不满意'],
];
const UNITS = { minutes: ['分钟', 1], hours: ['小时', 60], days: ['天', 1440] } as const;
type Unit = keyof typeof UNITS;

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f4f6f8}
main{max-width:560px;margin:0 auto;padding:16px}
h1{font-size:1.3rem;margin:.5rem 0 1rem;color:#0b5394}
.card{background:#fff;border-radius:10px;padding:16px;margin-bottom:12px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
fieldset{border:0;margin:0 0 12px;padding:0}legend{font-weight:600;margin-bottom:6px}
.scores label{display:flex;align-items:center;gap:10px;padding:10px;border:1px solid #d0d7de;border-radius:8px;margin-bottom:6px;min-height:44px}
.row{display:flex;gap:8px}.row input{flex:1}
input[type=number],select,textarea{font:inherit;padding:10px;border:1px solid #8c959f;border-radius:8px;min-height:44px;width:100%}
.row select{width:auto}
textarea{min-height:96px}
button{font:inherit;width:100%;padding:12px;border:0;border-radius:8px;background:#0b5394;color:#fff;font-weight:600;min-height:48px}
.muted{color:#57606a;font-size:.9rem}.error{color:#a40e26;font-weight:600}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export function evaluationFormPage(input: { token: string; bpmnProcessId: string; businessKey: string | null; error?: string }): string {
  const kind = PROCESS_NAMES[input.bpmnProcessId] ?? '服务';
  const unitSelect = (name: string, selected: Unit) =>
    `<select name="${name}" aria-label="单位">${(Object.keys(UNITS) as Unit[])
      .map((u) => `<option value="${u}"${u === selected ? ' selected' : ''}>${UNITS[u][0]}</option>`)
      .join('')}</select>`;
  return page(
    '服务评价',
    `<h1>供电服务评价</h1>
<div class="card"><p>您的${escapeHtml(kind)}已办结。工单号：<strong>${escapeHtml(input.businessKey ?? '—')}</strong></p>
<p class="muted">请对本次服务作出评价。本链接只能提交一次。</p></div>
${input.error ? `<div class="card" role="alert"><p class="error">${escapeHtml(input.error)}</p></div>` : ''}
<form class="card" method="post" action="/e/${escapeHtml(input.token)}">
<fieldset class="scores"><legend>您对本次服务满意吗？</legend>
${SCORES.map(([v, label]) => `<label><input type="radio" name="satisfaction" value="${v}" required> ${v} 分 · ${label}</label>`).join('\n')}
</fieldset>
<fieldset><legend><label for="expectedValue">您原本期望多长时间办好？</label></legend>
<div class="row"><input id="expectedValue" name="expectedValue" type="number" min="0" max="${MAX_MINUTES}" step="any" inputmode="decimal">${unitSelect('expectedUnit', 'hours')}</div></fieldset>
<fieldset><legend><label for="perceivedValue">您感觉实际用了多长时间？</label></legend>
<div class="row"><input id="perceivedValue" name="perceivedValue" type="number" min="0" max="${MAX_MINUTES}" step="any" inputmode="decimal">${unitSelect('perceivedUnit', 'hours')}</div></fieldset>
<fieldset><legend><label for="comment">意见和建议（选填）</label></legend>
<textarea id="comment" name="comment" maxlength="${MAX_COMMENT_LENGTH}"></textarea></fieldset>
<button type="submit">提交评价</button>
</form>`,
  );
}

export function thanksPage(businessKey: string | null): string {
  return page(
    '感谢您的评价',
    `<h1>感谢您的评价</h1><div class="card"><p>工单 <strong>${escapeHtml(businessKey ?? '—')}</strong> 的评价已提交。</p>
<p class="muted">您的意见将用于改进我们的服务。如有其他问题请致电 95598。</p></div>`,
  );
}

/** The page for a refused link (unknown, used, expired): the service's message, Chinese part first. */
export function refusedPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><div class="card" role="alert"><p>${escapeHtml(message)}</p></div>`);
}

export class FormError extends Error {}

/** The page's form (urlencoded fields) as an evaluation; FormError names the field in Chinese and English. */
export function parseLinkForm(fields: Record<string, string>): EvaluationInput {
  const satisfaction = Number(fields['satisfaction']);
  if (!/^[1-5]$/.test(fields['satisfaction'] ?? '')) throw new FormError('请选择满意度（1–5 分） / satisfaction: choose a score from 1 to 5');
  const minutes = (field: 'expected' | 'perceived', label: string): number | null => {
    const raw = (fields[`${field}Value`] ?? '').trim();
    if (raw === '') return null;
    const unit = (fields[`${field}Unit`] ?? 'hours') as Unit;
    if (!(unit in UNITS)) throw new FormError(`${label}的单位无效 / ${field}Unit: must be minutes, hours or days`);
    const n = Number(raw);
    const m = Math.round(n * UNITS[unit][1]);
    if (!/^[0-9]{1,7}(\.[0-9]{1,3})?$/.test(raw) || !Number.isFinite(n) || m > MAX_MINUTES) {
      throw new FormError(`${label}须为不超过一年的非负数 / ${field}Value: a number from 0 up to one year`);
    }
    return m;
  };
  const comment = (fields['comment'] ?? '').trim();
  if (comment.length > MAX_COMMENT_LENGTH) throw new FormError(`意见最多 ${MAX_COMMENT_LENGTH} 字 / comment: at most ${MAX_COMMENT_LENGTH} characters`);
  return {
    satisfaction,
    expectedMinutes: minutes('expected', '期望时长'),
    perceivedMinutes: minutes('perceived', '感知时长'),
    comment: comment || null,
  };
}
