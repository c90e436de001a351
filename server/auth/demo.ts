/**
 * The demo company: the departments of a power supply company (营销部 as the hub) and one demo user
 * per role, seeded only when DEMO_COMPANY=true. Idempotent: existing rows are left alone.
 */
import type pg from 'pg';
import type { UserRole } from './roles.js';
import { createUser } from './users.js';

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

export const DEMO_USERS: Array<{ username: string; displayName: string; role: UserRole; departments: string[] }> = [
  { username: 'designer', displayName: '流程设计-王工', role: 'designer', departments: [] },
  { username: 'hub', displayName: '营销部-李协调', role: 'hub_coordinator', departments: ['marketing'] },
  { username: 'agent95598', displayName: '95598-张坐席', role: 'staff', departments: ['customer-service'] },
  { username: 'station', displayName: '城区供电所-赵师傅', role: 'staff', departments: ['station-urban'] },
  { username: 'crew', displayName: '运维检修-刘师傅', role: 'staff', departments: ['operations'] },
  { username: 'crewhead', displayName: '运维检修部-陈主任', role: 'dept_head', departments: ['operations'] },
  { username: 'manager', displayName: '公司领导-周总', role: 'manager', departments: ['leadership'] },
];

export async function seedDemoCompany(db: pg.Pool, password: string): Promise<{ users: string[] }> {
  for (const d of DEMO_DEPARTMENTS) {
    await db.query('INSERT INTO department (id, name, name_en, is_hub) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING', [
      d.id,
      d.name,
      d.nameEn,
      d.isHub ?? false,
    ]);
  }
  const { rows } = await db.query<{ username: string }>('SELECT username FROM app_user WHERE username = ANY($1)', [
    DEMO_USERS.map((u) => u.username),
  ]);
  for (const u of DEMO_USERS) {
    if (rows.some((r) => r.username === u.username)) continue;
    await createUser(db, { ...u, password });
  }
  return { users: DEMO_USERS.map((u) => u.username) };
}
