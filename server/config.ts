/**
 * Configuration from environment variables, validated once at start-up.
 *
 * Every variable is declared in VARIABLES with its default, its check and the form it expects, so
 * that a wrong value produces one line naming the variable, what is wrong and what is expected:
 *   配置错误 / configuration error: PORT="abc" is not a valid port; expected an integer 1-65535
 * An empty value counts as unset (docker-compose and .env files often leave `X=`).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { minimumMillis, parseDuration } from '../bpmn/iso8601.js';
import { SECURITY_DEFAULTS, SECURITY_ENV, securityConfig, type SecurityConfig } from './auth/settings.js';
import { MAX_CONFIGURABLE_TOTAL_BYTES, type VariableLimits } from '../workflows/variables-limits.js';
import { DEFAULT_LIMITS, type EngineLimits } from '../workflows/engine/limits.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The process roles of server/main.ts. */
export const ROLES = ['all', 'server', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface Config {
  /** HTTP port of the API and web app. */
  port: number;
  /** Interface the HTTP server binds to. */
  host: string;
  /** Absolute directory for embedded PostgreSQL (pg/) and Temporal (temporal/) data. */
  dataDir: string;
  /** External PostgreSQL; unset means embedded PostgreSQL (role "all" only). */
  databaseUrl?: string;
  /** Port of the embedded PostgreSQL. */
  pgPort: number;
  temporal: {
    /** External Temporal frontend host:port; unset means a dev server (role "all" only). */
    address?: string;
    namespace: string;
    taskQueue: string;
    /** gRPC port of the dev server. */
    port: number;
    /** Web UI port of the dev server. */
    uiPort: number;
    /** Explicit path of the `temporal` CLI binary. */
    cliPath?: string;
  };
  logLevel: LogLevel;
  admin: { username?: string; password?: string };
  /**
   * The demo company (server/auth/demo.ts): its departments and the company's processes (processes/)
   * when `enabled`, its demo users too when `users`. DEMO_COMPANY=true: everything; false: nothing;
   * unset: on only with the embedded database, and without users when HOST is beyond loopback.
   * `reason` says why, for the start-up lines.
   */
  demo: { enabled: boolean; users: boolean; reason: string; password: string; processesDir: string };
  /** Limits of deployments (bpmn/: xml-safety.ts, model-size.ts, timer-policy.ts, compile-pool.ts). */
  deploy: DeployConfig;
  /** Proxy trust, credential attempt limit, API token expiry, message TTL cap (server/auth/settings.ts). */
  security: SecurityConfig;
  /** Size limits of process variables (workflows/variables-limits.ts). */
  variableLimits: VariableLimits;
  /** Bounds on FEEL evaluation and multi-instance cardinality of new instances (workflows/engine/limits.ts). */
  engineLimits: EngineLimits;
  /** Interval of the reconciliation sweep in ms (services/reconcile.ts); 0 = off. */
  reconcileIntervalMs: number;
}

export interface DeployConfig {
  /** Most XML elements in one BPMN file, diagram layout included. */
  maxElements: number;
  /** Largest compiled model of one process, in bytes of JSON (it travels in Temporal's workflow input). */
  maxModelBytes: number;
  /** Shortest interval of a timer cycle that repeats more than 10 times or forever, in ms. */
  minTimerCycleMs: number;
  /** Longest compilation of one file, in ms. */
  compileTimeoutMs: number;
  /** Worker threads that compile diagrams off the event loop. */
  compileWorkers: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.map((p) => `配置错误 / configuration error: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Defaults, written as the text a variable would hold; they pass the same checks as given values. */
export const CONFIG_DEFAULTS = {
  PORT: '3000',
  HOST: '127.0.0.1',
  DATA_DIR: './data',
  PG_PORT: '5432',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'bpmn',
  TEMPORAL_PORT: '7233',
  TEMPORAL_UI_PORT: '8233',
  LOG_LEVEL: 'info',
  DEMO_PASSWORD: 'demo-password',
  BPMN_MAX_ELEMENTS: '50000',
  BPMN_MAX_MODEL_BYTES: '1048576',
  BPMN_MIN_TIMER_CYCLE: 'PT1M',
  BPMN_COMPILE_TIMEOUT_MS: '20000',
  BPMN_COMPILE_WORKERS: '1',
  ...SECURITY_DEFAULTS,
  VARIABLE_MAX_BYTES: '262144',
  VARIABLES_TOTAL_MAX_BYTES: '1048576',
  FEEL_MAX_STEPS: String(DEFAULT_LIMITS.feelSteps),
  FEEL_MAX_COLLECTION_ITEMS: String(DEFAULT_LIMITS.collectionItems),
  FEEL_MAX_STRING_LENGTH: String(DEFAULT_LIMITS.stringLength),
  MULTI_INSTANCE_MAX: String(DEFAULT_LIMITS.multiInstanceCardinality),
  RECONCILE_INTERVAL_SECONDS: '60',
} as const;

const PORT_PROBLEM = 'is not a valid port; expected an integer 1-65535';
const port = z
  .string()
  .regex(/^\d{1,5}$/, { error: PORT_PROBLEM })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, { error: PORT_PROBLEM });

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, { error: `is not valid; expected an integer from ${min} to ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `is not valid; expected an integer from ${min} to ${max}` });

/** An ISO 8601 duration of at least one second, as milliseconds (the grammar the timers use). */
const isoInterval = z.string().transform((s, ctx) => {
  const parsed = parseDuration(s);
  if (parsed.ok && minimumMillis(parsed.value) >= 1000) return minimumMillis(parsed.value);
  ctx.addIssue({ code: 'custom', message: 'is not valid; expected an ISO 8601 duration of at least one second, e.g. PT1M or PT30S' });
  return z.NEVER;
});

const text = (pattern: RegExp, expected: string) => z.string().regex(pattern, { error: `is not valid; expected ${expected}` });

const databaseUrl = z.string().refine(
  (s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
    } catch {
      return false;
    }
  },
  { error: 'is not a PostgreSQL URL; expected postgres://user:password@host:5432/database' },
);

const temporalAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, {
    error: 'is not a Temporal address; expected host:port, e.g. localhost:7233',
  })
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, {
    error: 'is not a Temporal address; expected host:port with a port 1-65535',
  });

const cliPath = z.string().refine(
  (p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'is not an executable file; expected the path of the `temporal` CLI binary (see scripts/setup.sh)' },
);

const BYTES_PROBLEM = `is not a size; expected a number of bytes from 1024 to ${MAX_CONFIGURABLE_TOTAL_BYTES}`;
const bytes = z
  .string()
  .regex(/^\d{1,9}$/, { error: BYTES_PROBLEM })
  .transform(Number)
  .refine((n) => n >= 1024 && n <= MAX_CONFIGURABLE_TOTAL_BYTES, { error: BYTES_PROBLEM });

const EnvSchema = z.object({
  PORT: port,
  HOST: text(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0'),
  DATA_DIR: z.string(),
  DATABASE_URL: databaseUrl.optional(),
  PG_PORT: port,
  TEMPORAL_ADDRESS: temporalAddress.optional(),
  TEMPORAL_NAMESPACE: text(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'a Temporal namespace name (letters, digits, . _ -)'),
  TEMPORAL_TASK_QUEUE: text(/^\S{1,200}$/, 'a task queue name without spaces'),
  TEMPORAL_PORT: port,
  TEMPORAL_UI_PORT: port,
  TEMPORAL_CLI_PATH: cliPath.optional(),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(LOG_LEVELS, { error: `is not a log level; expected one of ${LOG_LEVELS.join(', ')}` }),
  ),
  ADMIN_USERNAME: text(/^[A-Za-z0-9._@-]{1,64}$/, '1-64 letters, digits or . _ @ -').optional(),
  ADMIN_PASSWORD: z.string().min(8, { error: 'is too short; expected at least 8 characters' }).optional(),
  DEMO_COMPANY: z.enum(['true', 'false', '1', '0'], { error: 'is not a switch; expected true or false' }).optional(),
  DEMO_PASSWORD: z.string().min(8, { error: 'is too short; expected at least 8 characters' }),
  PROCESSES_DIR: z.string().max(4096).optional(),
  BPMN_MAX_ELEMENTS: integer(100, 1_000_000),
  // Temporal refuses workflow input over 2 MB by default; the model shares it with the variables.
  BPMN_MAX_MODEL_BYTES: integer(10_000, 2_000_000),
  BPMN_MIN_TIMER_CYCLE: isoInterval,
  BPMN_COMPILE_TIMEOUT_MS: integer(1000, 600_000),
  BPMN_COMPILE_WORKERS: integer(1, 4),
  ...SECURITY_ENV,
  VARIABLE_MAX_BYTES: bytes,
  VARIABLES_TOTAL_MAX_BYTES: bytes,
  FEEL_MAX_STEPS: integer(100, 10_000_000),
  FEEL_MAX_COLLECTION_ITEMS: integer(100, 10_000_000),
  FEEL_MAX_STRING_LENGTH: integer(1000, 16_777_216),
  MULTI_INSTANCE_MAX: integer(1, 100_000),
  RECONCILE_INTERVAL_SECONDS: z
    .string()
    .regex(/^\d{1,5}$/, { error: 'is not a number of seconds; expected 0 (off) or 1-86400' })
    .transform(Number)
    .refine((n) => n <= 86_400, { error: 'is too large; expected 0 (off) or 1-86400 seconds' }),
});

/** The diagrams and forms of the company's processes, deployed with the demo company. */
export const DEFAULT_PROCESSES_DIR = fileURLToPath(new URL('../processes/', import.meta.url));

/** True for a host name or address that only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Whether the demo company is seeded (README, "Configuration"): DEMO_COMPANY=true always (users
 * included), DEMO_COMPANY=false never; unset, only on the embedded database (an external
 * DATABASE_URL is somebody's data), and then without demo users (known passwords) when the server
 * listens beyond loopback.
 */
export function demoMode(flag: string | undefined, databaseUrl: string | undefined, host: string): { enabled: boolean; users: boolean; reason: string } {
  if (flag === 'true' || flag === '1') return { enabled: true, users: true, reason: 'DEMO_COMPANY=true' };
  if (flag === 'false' || flag === '0') return { enabled: false, users: false, reason: 'DEMO_COMPANY=false' };
  if (databaseUrl) return { enabled: false, users: false, reason: 'external DATABASE_URL (DEMO_COMPANY=true seeds it)' };
  if (!isLoopbackHost(host)) {
    return { enabled: true, users: false, reason: `HOST=${host} is beyond loopback: no demo users without DEMO_COMPANY=true` };
  }
  return { enabled: true, users: true, reason: 'embedded database on loopback (DEMO_COMPANY=false turns it off)' };
}

/** Names of every variable the product reads, for documentation and tests. */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

const SECRET = new Set(['ADMIN_PASSWORD', 'DEMO_PASSWORD']);

function describeValue(name: string, value: unknown): string {
  if (value === undefined) return `${name} (default)`;
  if (SECRET.has(name)) return `${name} (value hidden)`;
  return `${name}=${JSON.stringify(value)}`;
}

/**
 * Reads and validates the configuration. `role` adds the requirements of the separate roles:
 * "server" and "worker" need external PostgreSQL and Temporal so several can run side by side.
 * Throws ConfigError (with every problem, one line each) when something is wrong.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: Role = 'all'): Config {
  const given: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    // An empty value counts as unset.
    if (value !== undefined && value.trim() !== '') given[name] = value;
  }
  const parsed = EnvSchema.safeParse({ ...CONFIG_DEFAULTS, ...given });
  if (!parsed.success) {
    // One line per variable: its first problem.
    const byName = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '?');
      if (!byName.has(name)) byName.set(name, `${describeValue(name, env[name])} ${issue.message}`);
    }
    throw new ConfigError([...byName.values()]);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (role !== 'all') {
    const script = `npm run ${role}`;
    if (!e.DATABASE_URL) {
      problems.push(
        `DATABASE_URL is not set; "${script}" needs external PostgreSQL, expected postgres://user:password@host:5432/database`,
      );
    }
    if (!e.TEMPORAL_ADDRESS) {
      problems.push(`TEMPORAL_ADDRESS is not set; "${script}" needs an external Temporal server, expected host:port, e.g. localhost:7233`);
    }
  }
  const security = securityConfig(e);
  if (typeof security === 'string') problems.push(security);
  if (problems.length > 0 || typeof security === 'string') throw new ConfigError(problems);
  if (e.VARIABLE_MAX_BYTES > e.VARIABLES_TOTAL_MAX_BYTES) {
    problems.push(
      `VARIABLE_MAX_BYTES=${e.VARIABLE_MAX_BYTES} is larger than VARIABLES_TOTAL_MAX_BYTES=${e.VARIABLES_TOTAL_MAX_BYTES}; expected at most the instance total`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    pgPort: e.PG_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
    },
    logLevel: e.LOG_LEVEL,
    admin: { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD },
    demo: {
      ...demoMode(e.DEMO_COMPANY, e.DATABASE_URL, e.HOST),
      password: e.DEMO_PASSWORD,
      processesDir: path.resolve(e.PROCESSES_DIR ?? DEFAULT_PROCESSES_DIR),
    },
    deploy: {
      maxElements: e.BPMN_MAX_ELEMENTS,
      maxModelBytes: e.BPMN_MAX_MODEL_BYTES,
      minTimerCycleMs: e.BPMN_MIN_TIMER_CYCLE,
      compileTimeoutMs: e.BPMN_COMPILE_TIMEOUT_MS,
      compileWorkers: e.BPMN_COMPILE_WORKERS,
    },
    security,
    variableLimits: { maxVariableBytes: e.VARIABLE_MAX_BYTES, maxTotalBytes: e.VARIABLES_TOTAL_MAX_BYTES },
    engineLimits: {
      feelSteps: e.FEEL_MAX_STEPS,
      collectionItems: e.FEEL_MAX_COLLECTION_ITEMS,
      stringLength: e.FEEL_MAX_STRING_LENGTH,
      multiInstanceCardinality: e.MULTI_INSTANCE_MAX,
    },
    reconcileIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
  };
}
