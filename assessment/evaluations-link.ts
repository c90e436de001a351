/**
 * The customer's one-time evaluation link (/e/<token>), README "Customer evaluation and the gap view".
 *
 * - Issued when a case is archived (the job type company.archive, wrapped by withEvaluationLink in
 *   server/worker.ts productJobHandlers): 32 random bytes as base64url (43 characters); only their
 *   SHA-256 is stored (evaluation_link). The customer SMS (customer_message, template
 *   'return-visit') carries the link; the link row and the SMS are written in one transaction, and
 *   a retried archive job (same instance) finds the link and sends nothing twice. No valid phone
 *   number: no SMS, no link.
 * - Opened by anyone holding the token, without an account: a token that is malformed or whose hash
 *   is not stored → not found (the lookup is by hash, so no secret is compared byte by byte); used
 *   → gone; past expires_at → gone.
 * - Submitted once: the evaluation (channel 'link') and used_at in one transaction, the row locked,
 *   so two simultaneous submissions record one.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { JobHandler } from '../activities/jobs.js';
import { PHONE, renderCustomerMessage, MAX_SMS_LENGTH } from '../company/handlers/index.js';
import { inTransaction } from '../db/transaction.js';
import { ServiceError } from '../services/errors.js';
import { checkEvaluationInput, getEvaluation, type Evaluation, type EvaluationInput } from './evaluations.js';

/** How long a link stays usable. */
export const LINK_DAYS = 30;
/** The token's form: 32 bytes in base64url without padding. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Where the customer's phone opens the link: PUBLIC_BASE_URL (e.g. https://fuwu.example.cn), else
 * http://localhost:3000. Checked here because the worker, which issues links, reads it too.
 */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env['PUBLIC_BASE_URL']?.trim();
  if (!raw) return 'http://localhost:3000';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`配置错误 / configuration error: PUBLIC_BASE_URL=${JSON.stringify(raw)} is not a URL; expected e.g. https://fuwu.example.cn`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`配置错误 / configuration error: PUBLIC_BASE_URL=${JSON.stringify(raw)} must start with https:// or http://`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface IssuedLink {
  token: string;
  url: string;
  expiresAt: string;
  customerMessageId: string;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** The SMS: the return-visit template followed by the link, within the SMS length. */
export function linkMessage(variables: Record<string, unknown>, url: string): string {
  const tail = `评价链接：${url} （${LINK_DAYS}天内有效）`;
  let head = renderCustomerMessage('return-visit', variables);
  const room = MAX_SMS_LENGTH - tail.length;
  if (head.length > room) head = `${head.slice(0, Math.max(0, room - 1))}…`;
  return `${head}${tail}`;
}

/**
 * Issues the case's link and queues the SMS that carries it; null when the case has no valid
 * phone number or already has a link (a retried job, a second archive step).
 */
export async function issueEvaluationLink(
  pool: pg.Pool,
  input: { processInstanceKey: string; bpmnProcessId: string; variables: Record<string, unknown>; now?: Date; baseUrl?: string },
): Promise<IssuedLink | null> {
  const phone = text(input.variables['contactPhone']);
  if (!phone || !PHONE.test(phone)) return null;
  const businessKey = text(input.variables['businessKey']);
  const token = randomBytes(32).toString('base64url');
  const url = `${input.baseUrl ?? publicBaseUrl()}/e/${token}`;
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + LINK_DAYS * 86_400_000);
  return inTransaction(pool, async (client) => {
    const link = await client.query<{ id: string }>(
      `INSERT INTO evaluation_link (token_hash, process_instance_key, bpmn_process_id, business_key, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (process_instance_key) DO NOTHING RETURNING id`,
      [tokenHash(token), input.processInstanceKey, input.bpmnProcessId, businessKey, now, expiresAt],
    );
    if (!link.rows[0]) return null;
    const sms = await client.query<{ id: string }>(
      `INSERT INTO customer_message (process_instance_key, business_key, phone, template, text)
       VALUES ($1, $2, $3, 'return-visit', $4) RETURNING id::text`,
      [input.processInstanceKey, businessKey, phone, linkMessage(input.variables, url)],
    );
    await client.query('UPDATE evaluation_link SET customer_message_id = $2 WHERE id = $1', [link.rows[0].id, sms.rows[0]!.id]);
    return { token, url, expiresAt: expiresAt.toISOString(), customerMessageId: sms.rows[0]!.id };
  });
}

/**
 * The archive job handler followed by the link: a case is closed when it is archived. The
 * handler's answer is kept as it is (plus evaluationLinkIssued: true when a link went out).
 */
export function withEvaluationLink(pool: pg.Pool, archive: JobHandler, baseUrl = publicBaseUrl()): JobHandler {
  // baseUrl is read when the worker starts, so a wrong PUBLIC_BASE_URL stops the start instead of failing jobs.
  return async (job) => {
    const answer = await archive(job);
    const issued = await issueEvaluationLink(pool, { processInstanceKey: job.processInstanceKey, bpmnProcessId: job.bpmnProcessId, variables: job.variables, baseUrl });
    return issued ? { ...(answer ?? {}), evaluationLinkIssued: true } : answer;
  };
}

export interface OpenLink {
  processInstanceKey: string;
  bpmnProcessId: string;
  businessKey: string | null;
  expiresAt: string;
}

interface LinkRow {
  id: string;
  process_instance_key: string;
  bpmn_process_id: string;
  business_key: string | null;
  expires_at: Date;
  used_at: Date | null;
}

const NOT_FOUND = () =>
  new ServiceError('NOT_FOUND', '评价链接无效，请核对短信中的链接 / this evaluation link does not exist; check the link in the SMS', { reason: 'unknown' });
const USED = () =>
  new ServiceError('INVALID_STATE', '此评价链接已使用过，感谢您的评价 / this evaluation link has been used already; thank you for your evaluation', { reason: 'used' });
const EXPIRED = () =>
  new ServiceError('INVALID_STATE', `此评价链接已过期（有效期${LINK_DAYS}天），如需评价请致电95598 / this evaluation link has expired (valid ${LINK_DAYS} days); call 95598 to give your evaluation`, {
    reason: 'expired',
  });

async function findLink(db: pg.Pool | pg.PoolClient, token: string, lock: boolean): Promise<LinkRow> {
  if (!TOKEN_PATTERN.test(token)) throw NOT_FOUND();
  const { rows } = await db.query<LinkRow>(
    `SELECT id::text, process_instance_key::text, bpmn_process_id, business_key, expires_at, used_at
       FROM evaluation_link WHERE token_hash = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [tokenHash(token)],
  );
  const row = rows[0];
  if (!row) throw NOT_FOUND();
  return row;
}

function checkUsable(row: LinkRow, now: Date): void {
  if (row.used_at) throw USED();
  if (row.expires_at.getTime() <= now.getTime()) throw EXPIRED();
}

/** What the page shows for a token; throws NOT_FOUND (unknown) or INVALID_STATE with reason used/expired. */
export async function openEvaluationLink(db: pg.Pool, token: string, now = new Date()): Promise<OpenLink> {
  const row = await findLink(db, token, false);
  checkUsable(row, now);
  return { processInstanceKey: row.process_instance_key, bpmnProcessId: row.bpmn_process_id, businessKey: row.business_key, expiresAt: row.expires_at.toISOString() };
}

/** Records the customer's evaluation through the link, once. */
export async function submitEvaluationLink(pool: pg.Pool, token: string, input: EvaluationInput, now = new Date()): Promise<{ link: OpenLink; evaluation: Evaluation }> {
  checkEvaluationInput(input);
  return inTransaction(pool, async (client) => {
    const row = await findLink(client, token, true);
    checkUsable(row, now);
    await client.query("SELECT evaluation_record($1, 'link', $2, $3, $4, $5, NULL, $6)", [
      row.process_instance_key,
      input.satisfaction,
      input.expectedMinutes ?? null,
      input.perceivedMinutes ?? null,
      input.comment?.trim() || null,
      now,
    ]);
    await client.query('UPDATE evaluation_link SET used_at = $2 WHERE id = $1', [row.id, now]);
    const link = { processInstanceKey: row.process_instance_key, bpmnProcessId: row.bpmn_process_id, businessKey: row.business_key, expiresAt: row.expires_at.toISOString() };
    return { link, evaluation: (await getEvaluation(client, row.process_instance_key))! };
  });
}
