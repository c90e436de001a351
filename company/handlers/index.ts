/**
 * The company's job types (service tasks of the diagrams in processes/), registered with every
 * worker through productJobHandlers (server/worker.ts). Each handler reads the task headers and
 * the case variables, asks one adapter (company/handlers/contracts.ts) and answers variables.
 *
 * | job type                 | headers      | reads                                  | answers                                   |
 * |--------------------------|--------------|----------------------------------------|-------------------------------------------|
 * | company.order-number     | prefix       | –                                      | businessKey (GZ-20261201-0001)            |
 * | company.arrears-check    | –            | accountNo                              | hasArrears, arrearsAmount, accountFound   |
 * | company.notify-customer  | template     | contactPhone, customerName, businessKey| notifiedAt (null: no valid phone, no SMS) |
 * | company.outage-link      | –            | outageId (optional), businessKey       | outageId (null without one), outageState  |
 * | company.archive          | –            | every variable                         | archivedAt                                |
 *
 * Retried jobs answer what the first attempt answered (the adapters key by element instance);
 * failures and misconfigured headers throw, so the engine retries and then raises an incident.
 */
import type pg from 'pg';
import type { Job, JobHandler } from '../../activities/jobs.js';
import { CUSTOMER_TEMPLATES, type CompanyAdapters, type CustomerTemplate, type JobRef } from './contracts.js';
import { localCompanyAdapters } from './local.js';

export * from './contracts.js';

export const ORDER_NUMBER_JOB_TYPE = 'company.order-number';
export const ARREARS_CHECK_JOB_TYPE = 'company.arrears-check';
export const NOTIFY_CUSTOMER_JOB_TYPE = 'company.notify-customer';
export const OUTAGE_LINK_JOB_TYPE = 'company.outage-link';
export const ARCHIVE_JOB_TYPE = 'company.archive';

export const COMPANY_JOB_TYPES = [ORDER_NUMBER_JOB_TYPE, ARREARS_CHECK_JOB_TYPE, NOTIFY_CUSTOMER_JOB_TYPE, OUTAGE_LINK_JOB_TYPE, ARCHIVE_JOB_TYPE] as const;

/** Longest SMS text; longer text is cut with "…". */
export const MAX_SMS_LENGTH = 500;
/** A phone number the outbox takes: digits with an optional leading + and separators. */
export const PHONE = /^\+?[0-9][0-9 -]{4,30}$/;

const refOf = (job: Job): JobRef => ({
  processInstanceKey: job.processInstanceKey,
  elementInstanceKey: job.elementInstanceKey,
  bpmnProcessId: job.bpmnProcessId,
  elementId: job.elementId,
});

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const CASE_KINDS: Record<string, string> = { GZ: '故障报修', TS: '投诉', YK: '用电申请' };

/** What kind of case a business key names, by its prefix (GZ 故障报修, TS 投诉, YK 用电申请). */
export function caseKindOf(businessKey: string | null): string {
  return (businessKey && CASE_KINDS[businessKey.split('-')[0]!]) ?? '诉求';
}

/**
 * The SMS text of a template for a case. Plain text; the variables used are customerName,
 * businessKey, and per template: cause (restored), replyText (reply), missingMaterials
 * (material-missing). A header `text` replaces the template's text; `{name}` in it stands for
 * the variable `name`.
 */
export function renderCustomerMessage(template: CustomerTemplate, variables: Record<string, unknown>, custom?: string): string {
  const name = text(variables['customerName']) ?? '客户';
  const bk = text(variables['businessKey']);
  const no = bk ? `（工单号${bk}）` : '';
  const kind = caseKindOf(bk);
  let body: string;
  if (custom) {
    body = custom.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, v: string) => text(variables[v]) ?? '');
  } else {
    switch (template) {
      case 'accepted':
        body = `尊敬的${name}，您的${kind}已受理${no}，我们将尽快为您处理。如有疑问请致电95598。`;
        break;
      case 'dispatched':
        body = `尊敬的${name}，您的${kind}${no}已派单，工作人员正赶往现场，请保持电话畅通。`;
        break;
      case 'restored': {
        const cause = text(variables['cause']);
        body = `尊敬的${name}，您所在区域已恢复供电${no}。${cause ? `停电原因：${cause}。` : ''}感谢您的理解。`;
        break;
      }
      case 'reply': {
        const reply = text(variables['replyText']);
        body = `尊敬的${name}，您的${kind}${no}已办理完毕。${reply ? `处理结果：${reply}。` : ''}感谢您的监督。`;
        break;
      }
      case 'return-visit':
        body = `尊敬的${name}，我们将就您的${kind}${no}进行回访，请您对本次服务作出评价。`;
        break;
      case 'material-missing': {
        const missing = text(variables['missingMaterials']);
        body = `尊敬的${name}，您的${kind}${no}资料不全，请补充${missing ?? '所需资料'}后再次提交。`;
        break;
      }
      case 'power-on':
        body = `尊敬的${name}，您的${kind}${no}已完成装表接电，欢迎用电。`;
        break;
    }
  }
  const full = `【供电服务】${body}`;
  return full.length > MAX_SMS_LENGTH ? `${full.slice(0, MAX_SMS_LENGTH - 1)}…` : full;
}

/** The company's job handlers on the given adapters (the local PostgreSQL ones by default). */
export function companyJobHandlers(adapters: CompanyAdapters): Map<string, JobHandler> {
  return new Map<string, JobHandler>([
    [
      ORDER_NUMBER_JOB_TYPE,
      async (job) => {
        const prefix = job.headers['prefix']?.trim() ?? '';
        if (!/^[A-Z]{1,8}$/.test(prefix)) {
          throw new Error(`${ORDER_NUMBER_JOB_TYPE} on ${job.elementId}: task header 'prefix' must be 1-8 capital letters such as GZ, TS or YK (got ${JSON.stringify(job.headers['prefix'] ?? null)})`);
        }
        return adapters.orderNumbers.take(refOf(job), prefix);
      },
    ],
    [
      ARREARS_CHECK_JOB_TYPE,
      async (job) => {
        const accountNo = text(job.variables['accountNo']);
        if (!accountNo) return { hasArrears: false, arrearsAmount: 0, accountFound: false };
        const { found, arrearsAmount } = await adapters.arrears.check(accountNo);
        return { hasArrears: arrearsAmount > 0, arrearsAmount, accountFound: found };
      },
    ],
    [
      NOTIFY_CUSTOMER_JOB_TYPE,
      async (job) => {
        const template = job.headers['template']?.trim() ?? '';
        if (!(CUSTOMER_TEMPLATES as readonly string[]).includes(template)) {
          throw new Error(`${NOTIFY_CUSTOMER_JOB_TYPE} on ${job.elementId}: task header 'template' must be one of ${CUSTOMER_TEMPLATES.join(', ')} (got ${JSON.stringify(job.headers['template'] ?? null)})`);
        }
        const phone = text(job.variables['contactPhone']);
        if (!phone || !PHONE.test(phone)) return { notifiedAt: null };
        const t = template as CustomerTemplate;
        const message = renderCustomerMessage(t, job.variables, job.headers['text']?.trim() || undefined);
        return adapters.notifier.send(refOf(job), { phone, template: t, text: message, businessKey: text(job.variables['businessKey']) });
      },
    ],
    [
      OUTAGE_LINK_JOB_TYPE,
      async (job) => {
        const outageId = text(job.variables['outageId']);
        if (!outageId) return { outageId: null };
        const linked = await adapters.outages.link(refOf(job), outageId, text(job.variables['businessKey']));
        return { outageId: linked.outageId, outageState: linked.state };
      },
    ],
    [
      ARCHIVE_JOB_TYPE,
      async (job) => adapters.archive.store(refOf(job), { businessKey: text(job.variables['businessKey']), variables: job.variables }),
    ],
  ]);
}

/** The handlers on the local PostgreSQL adapters: what every worker registers. */
export function localCompanyJobHandlers(pool: pg.Pool): Map<string, JobHandler> {
  return companyJobHandlers(localCompanyAdapters(pool));
}
