/**
 * Notifications (urge 催办, breach 超时, supervision order 督办, escalation 升级, reassignment 转派) go
 * through one adapter interface, `NotificationChannel`. The product ships the local channel, which
 * writes the `notification` outbox table (sla/migrations/0014_sla_clocks.sql) — in the caller's
 * transaction when given its client, so a notice exists exactly when the action that caused it
 * does. The task list shows the signed-in user's notices (GET /api/notifications).
 *
 * ## Contract of a real gateway (SMS, enterprise messaging)
 *
 * A gateway does not replace the outbox; it drains it. A delivery process of its own:
 *
 * 1. polls unsent rows: `SELECT … FROM notification WHERE sent_at IS NULL AND channel = 'local'
 *    ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED` (the partial index `notification_unsent` serves
 *    it; SKIP LOCKED lets several senders run side by side without sending a row twice at once);
 * 2. resolves the recipient: `recipient_user` is a username (app_user), `recipient_department` a
 *    department id whose active members (app_user.departments) each get the message;
 * 3. delivers `title` and `body` (plain text, Chinese; never markup) with a link built from
 *    `process_instance_key`, `user_task_key` and `clock_key`;
 * 4. stamps `sent_at = now()` in the same transaction as the lock once the gateway accepted the
 *    message, and commits.
 *
 * Idempotency: the row id is the message id. Pass it to the gateway as its deduplication key
 * (client reference / message id), so a sender that dies after delivering and before committing
 * `sent_at` re-sends a message the gateway recognises instead of a second SMS.
 * Retries: a failed delivery leaves `sent_at` NULL and is tried again on a later poll, with the
 * sender's own backoff (e.g. 1 min doubling to 1 h); give up after a day by logging the row id and
 * stamping `sent_at` anyway (or moving the row to a dead-letter table), so one bad number cannot
 * block the queue. The sender never changes `read_at` or the per-user read state
 * (notification_read): those belong to the people who read the notice in the product.
 */
import type { Queryable } from '../db/keys.js';
import { ServiceError } from '../services/errors.js';

export const NOTIFICATION_KINDS = ['urge', 'breach', 'supervision', 'escalation', 'reassign'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Longest title and body a notification takes; longer text is cut (with "…"). */
export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 4000;

export type Recipient = { user: string } | { department: string };

export interface Notice {
  kind: NotificationKind;
  recipient: Recipient;
  title: string;
  body?: string;
  /** What the notice is about: links to the instance, the task and the SLA clock. */
  links?: { processInstanceKey?: string | null; userTaskKey?: string | null; clockKey?: string | null };
  /** Username (or 'sla', 'system:…') of whoever caused it. */
  createdBy: string;
}

/** The adapter: sends one notice and answers its id. `db` is the caller's transaction client, when there is one. */
export interface NotificationChannel {
  readonly name: string;
  send(notice: Notice, db?: Queryable): Promise<string>;
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The local channel: one row in the outbox per notice; the task list shows it, a gateway may deliver it. */
export function outboxChannel(pool: Queryable): NotificationChannel {
  return {
    name: 'local',
    async send(notice, db = pool) {
      const user = 'user' in notice.recipient ? notice.recipient.user : null;
      const department = 'department' in notice.recipient ? notice.recipient.department : null;
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO notification (kind, channel, recipient_user, recipient_department, title, body, process_instance_key, user_task_key, clock_key, created_by)
         VALUES ($1, 'local', $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
        [
          notice.kind,
          user,
          department,
          cut(notice.title, MAX_TITLE_LENGTH),
          cut(notice.body ?? '', MAX_BODY_LENGTH),
          notice.links?.processInstanceKey ?? null,
          notice.links?.userTaskKey ?? null,
          notice.links?.clockKey ?? null,
          notice.createdBy,
        ],
      );
      return rows[0]!.id;
    },
  };
}

/** Sends one notice per distinct recipient; answers the ids. */
export async function sendAll(channel: NotificationChannel, base: Omit<Notice, 'recipient'>, recipients: Recipient[], db?: Queryable): Promise<string[]> {
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const r of recipients) {
    const id = 'user' in r ? `u:${r.user}` : `d:${r.department}`;
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(await channel.send({ ...base, recipient: r }, db));
  }
  return ids;
}

// ---------------------------------------------------------------- the signed-in user's notices

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  recipientUser: string | null;
  recipientDepartment: string | null;
  title: string;
  body: string;
  processInstanceKey: string | null;
  userTaskKey: string | null;
  clockKey: string | null;
  createdBy: string | null;
  createdAt: string;
  read: boolean;
  readAt: string | null;
}

export interface Reader {
  username: string;
  departments: string[];
}

interface Row {
  id: string;
  kind: NotificationKind;
  recipient_user: string | null;
  recipient_department: string | null;
  title: string;
  body: string;
  process_instance_key: string | null;
  user_task_key: string | null;
  clock_key: string | null;
  created_by: string | null;
  created_at: Date;
  read_at: Date | null;
}

const SELECT = `SELECT n.id::text, n.kind, n.recipient_user, n.recipient_department, n.title, n.body, n.process_instance_key::text,
                       n.user_task_key::text, n.clock_key, n.created_by, n.created_at, r.read_at
                  FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = $1`;
const ADDRESSED = `(n.recipient_user = $1 OR n.recipient_department = ANY($2::text[]))`;

function toItem(r: Row): NotificationItem {
  return {
    id: r.id,
    kind: r.kind,
    recipientUser: r.recipient_user,
    recipientDepartment: r.recipient_department,
    title: r.title,
    body: r.body,
    processInstanceKey: r.process_instance_key,
    userTaskKey: r.user_task_key,
    clockKey: r.clock_key,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    read: r.read_at !== null,
    readAt: r.read_at?.toISOString() ?? null,
  };
}

export interface NotificationQuery {
  unread?: boolean;
  kind?: NotificationKind;
  limit: number;
  offset: number;
}

/** The notices addressed to the user or to one of their departments: unread first, newest first. */
export async function listNotifications(db: Queryable, reader: Reader, q: NotificationQuery) {
  const where = `${ADDRESSED} AND ($3::boolean IS NOT TRUE OR r.read_at IS NULL) AND ($4::text IS NULL OR n.kind = $4)`;
  const params = [reader.username, reader.departments, q.unread ?? null, q.kind ?? null];
  const [{ rows }, counts] = await Promise.all([
    db.query<Row>(`${SELECT} WHERE ${where} ORDER BY (r.read_at IS NULL) DESC, n.created_at DESC, n.id DESC LIMIT $5 OFFSET $6`, [
      ...params,
      q.limit,
      q.offset,
    ]),
    db.query<{ total: string; unread: string }>(
      `SELECT count(*)::text AS total, count(*) FILTER (WHERE r.read_at IS NULL)::text AS unread
         FROM notification n LEFT JOIN notification_read r ON r.notification_id = n.id AND r.username = $1 WHERE ${where}`,
      params,
    ),
  ]);
  return {
    items: rows.map(toItem),
    page: { totalItems: Number(counts.rows[0]!.total), unread: Number(counts.rows[0]!.unread), limit: q.limit, offset: q.offset },
  };
}

/** Marks a notice read for this user (idempotent). 404 when it does not exist or is not addressed to them. */
export async function markNotificationRead(db: Queryable, reader: Reader, id: string): Promise<NotificationItem> {
  const found = await db.query<{ recipient_user: string | null }>(`SELECT n.recipient_user FROM notification n WHERE n.id = $3 AND ${ADDRESSED}`, [
    reader.username,
    reader.departments,
    id,
  ]);
  if (!found.rowCount) throw new ServiceError('NOT_FOUND', `Notification ${id} not found`);
  await db.query('INSERT INTO notification_read (notification_id, username) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, reader.username]);
  if (found.rows[0]!.recipient_user === reader.username) {
    await db.query('UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1', [id]);
  }
  const { rows } = await db.query<Row>(`${SELECT} WHERE n.id = $2`, [reader.username, id]);
  return toItem(rows[0]!);
}
