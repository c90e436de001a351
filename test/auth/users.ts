/** One user per role in two departments, created through the admin API, for access-control tests. */
import type { FastifyInstance } from 'fastify';
import { ADMIN_AUTH, basicAuth } from '../support/stack.js';
import type { UserRole } from '../../server/auth/roles.js';

export const PASSWORD = 'secret-password-1';

export const USERS = {
  designer: { role: 'designer', departments: [] },
  staffA: { role: 'staff', departments: ['dept-a'] },
  staffA2: { role: 'staff', departments: ['dept-a'] },
  staffB: { role: 'staff', departments: ['dept-b'] },
  headA: { role: 'dept_head', departments: ['dept-a'] },
  hub: { role: 'hub_coordinator', departments: ['marketing'] },
  manager: { role: 'manager', departments: [] },
  integration: { role: 'integration', departments: [] },
} satisfies Record<string, { role: UserRole; departments: string[] }>;

export type TestUser = keyof typeof USERS;

export const auth = (u: TestUser | 'admin') => (u === 'admin' ? ADMIN_AUTH : basicAuth(u, PASSWORD));

export async function createUsers(app: FastifyInstance): Promise<void> {
  for (const d of [
    { id: 'dept-a', name: '供电所甲' },
    { id: 'dept-b', name: '运维检修部' },
    { id: 'marketing', name: '营销部', isHub: true },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/departments', payload: d, headers: ADMIN_AUTH });
    if (res.statusCode !== 201) throw new Error(`department ${d.id}: ${res.statusCode} ${res.body}`);
  }
  for (const [username, u] of Object.entries(USERS)) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { username, password: PASSWORD, role: u.role, departments: u.departments },
      headers: ADMIN_AUTH,
    });
    if (res.statusCode !== 201) throw new Error(`user ${username}: ${res.statusCode} ${res.body}`);
  }
}
