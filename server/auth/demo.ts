/**
 * The demo company: the departments of a power supply company (营销部 as the hub) and their people,
 * seeded at start as DEMO_COMPANY says (server/config.ts demoMode: on by default with the embedded
 * database). Idempotent: existing rows are left alone. The company's processes (processes/) are
 * deployed with it (company/deploy.ts).
 */
import type pg from 'pg';
import type { UserRole } from './roles.js';
import { hashPassword } from './password.js';

export const DEMO_DEPARTMENTS = [
  { id: 'marketing', name: '营销部', nameEn: 'Marketing (hub)', isHub: true },
  { id: 'customer-service', name: '客户服务中心（95598）', nameEn: 'Customer service center (95598)' },
  { id: 'station-urban', name: '城区供电所', nameEn: 'Urban supply station' },
  { id: 'station-rural', name: '农村供电所', nameEn: 'Rural supply station' },
  { id: 'station-remote', name: '偏远地区供电所', nameEn: 'Remote-area supply station' },
  { id: 'operations', name: '运维检修部', nameEn: 'Operations and maintenance' },
  { id: 'planning', name: '发展策划部', nameEn: 'Development planning' },
  { id: 'dispatch', name: '调控中心', nameEn: 'Dispatch and control center' },
  { id: 'metering', name: '计量中心', nameEn: 'Metering center' },
  { id: 'leadership', name: '公司领导', nameEn: 'Company leadership' },
];

type DemoUser = { username: string; displayName: string; role: UserRole; departments: string[] };

/**
 * The demo company's people: every department has staff and a head (部门负责人); the marketing hub has
 * two coordinators; company leadership has a head who acts on tasks in its lane and managers who read
 * everything; two process designers. The first names (designer, hub, agent95598, station, crew,
 * crewhead, manager) are those of earlier versions and keep working.
 */
export const DEMO_USERS: DemoUser[] = [
  { username: 'designer', displayName: '流程设计-王工', role: 'designer', departments: [] },
  { username: 'designer2', displayName: '流程设计-孙工', role: 'designer', departments: [] },
  // 营销部 (the hub)
  { username: 'hub', displayName: '营销部-李协调', role: 'hub_coordinator', departments: ['marketing'] },
  { username: 'hub2', displayName: '营销部-吴协调', role: 'hub_coordinator', departments: ['marketing'] },
  { username: 'marketing1', displayName: '营销部-郑专责', role: 'staff', departments: ['marketing'] },
  { username: 'marketing2', displayName: '营销部-冯专责', role: 'staff', departments: ['marketing'] },
  { username: 'marketinghead', displayName: '营销部-何主任', role: 'dept_head', departments: ['marketing'] },
  // 客户服务中心（95598）
  { username: 'agent95598', displayName: '95598-张坐席', role: 'staff', departments: ['customer-service'] },
  { username: 'agent2', displayName: '95598-林坐席', role: 'staff', departments: ['customer-service'] },
  { username: 'agent3', displayName: '95598-黄坐席', role: 'staff', departments: ['customer-service'] },
  { username: 'cshead', displayName: '客户服务中心-许主任', role: 'dept_head', departments: ['customer-service'] },
  // 供电所
  { username: 'station', displayName: '城区供电所-赵师傅', role: 'staff', departments: ['station-urban'] },
  { username: 'urban2', displayName: '城区供电所-钱师傅', role: 'staff', departments: ['station-urban'] },
  { username: 'urbanhead', displayName: '城区供电所-马所长', role: 'dept_head', departments: ['station-urban'] },
  { username: 'rural1', displayName: '农村供电所-杨师傅', role: 'staff', departments: ['station-rural'] },
  { username: 'rural2', displayName: '农村供电所-朱师傅', role: 'staff', departments: ['station-rural'] },
  { username: 'ruralhead', displayName: '农村供电所-胡所长', role: 'dept_head', departments: ['station-rural'] },
  { username: 'remote1', displayName: '偏远地区供电所-郭师傅', role: 'staff', departments: ['station-remote'] },
  { username: 'remote2', displayName: '偏远地区供电所-罗师傅', role: 'staff', departments: ['station-remote'] },
  { username: 'remotehead', displayName: '偏远地区供电所-梁所长', role: 'dept_head', departments: ['station-remote'] },
  // 运维检修部
  { username: 'crew', displayName: '运维检修-刘师傅', role: 'staff', departments: ['operations'] },
  { username: 'crew2', displayName: '运维检修-宋师傅', role: 'staff', departments: ['operations'] },
  { username: 'crewhead', displayName: '运维检修部-陈主任', role: 'dept_head', departments: ['operations'] },
  // 发展策划部
  { username: 'planner1', displayName: '发展策划部-谢工', role: 'staff', departments: ['planning'] },
  { username: 'planner2', displayName: '发展策划部-韩工', role: 'staff', departments: ['planning'] },
  { username: 'planninghead', displayName: '发展策划部-唐主任', role: 'dept_head', departments: ['planning'] },
  // 调控中心
  { username: 'dispatcher1', displayName: '调控中心-曹值班', role: 'staff', departments: ['dispatch'] },
  { username: 'dispatcher2', displayName: '调控中心-邓值班', role: 'staff', departments: ['dispatch'] },
  { username: 'dispatchhead', displayName: '调控中心-彭主任', role: 'dept_head', departments: ['dispatch'] },
  // 计量中心
  { username: 'meter1', displayName: '计量中心-曾师傅', role: 'staff', departments: ['metering'] },
  { username: 'meter2', displayName: '计量中心-萧师傅', role: 'staff', departments: ['metering'] },
  { username: 'meteringhead', displayName: '计量中心-田主任', role: 'dept_head', departments: ['metering'] },
  // 公司领导
  { username: 'leader', displayName: '公司领导-董副总', role: 'dept_head', departments: ['leadership'] },
  { username: 'manager', displayName: '公司领导-周总', role: 'manager', departments: ['leadership'] },
  { username: 'manager2', displayName: '公司领导-袁总工', role: 'manager', departments: ['leadership'] },
];

export interface DemoSeedResult {
  departments: number;
  /** The demo users (created now or before); empty when users were not asked for. */
  users: string[];
  /** Of those, the ones created by this call. */
  created: string[];
  /** Without users: active demo users an earlier start created (their password may still be the known one). */
  remaining?: string[];
}

/**
 * Seeds the demo company: its departments, and its users unless `users: false` (a server listening
 * beyond loopback without an explicit DEMO_COMPANY=true gets no accounts with a known password).
 * Idempotent: existing departments and users are left as they are.
 */
export async function seedDemoCompany(db: pg.Pool, password: string, options: { users?: boolean } = {}): Promise<DemoSeedResult> {
  for (const d of DEMO_DEPARTMENTS) {
    await db.query('INSERT INTO department (id, name, name_en, is_hub) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      d.id,
      d.name,
      d.nameEn,
      d.isHub ?? false,
    ]);
  }
  if (options.users === false) {
    const { rows: left } = await db.query<{ username: string }>('SELECT username FROM app_user WHERE active AND username = ANY($1) ORDER BY username', [
      DEMO_USERS.map((u) => u.username),
    ]);
    return { departments: DEMO_DEPARTMENTS.length, users: [], created: [], remaining: left.map((r) => r.username) };
  }
  const { rows } = await db.query<{ username: string }>('SELECT username FROM app_user WHERE username = ANY($1)', [
    DEMO_USERS.map((u) => u.username),
  ]);
  const missing = DEMO_USERS.filter((u) => !rows.some((r) => r.username === u.username));
  // Each its own salt; the hashes are computed side by side (libuv's thread pool), not one after another.
  const hashes = await Promise.all(missing.map(() => hashPassword(password)));
  const created: string[] = [];
  for (const [i, u] of missing.entries()) {
    const inserted = await db.query(
      `INSERT INTO app_user (username, display_name, password_hash, role, departments) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING`,
      [u.username, u.displayName, hashes[i], u.role, u.departments],
    );
    if (inserted.rowCount) created.push(u.username);
  }
  return { departments: DEMO_DEPARTMENTS.length, users: DEMO_USERS.map((u) => u.username), created };
}
