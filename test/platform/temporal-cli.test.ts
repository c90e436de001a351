/**
 * Finding and building the Temporal CLI (server/platform/temporal-cli.ts) against a fake machine:
 * a temporary directory holding a fake PATH, a fake `go` (which records its calls and "builds" a
 * fake temporal binary) and a fake GOPATH.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureTemporalCli,
  missingCliMessage,
  planTemporalCli,
  TemporalCliError,
  type LookupEnv,
} from '../../server/platform/temporal-cli.js';

let root: string;
let bin: string; // on the fake PATH
let gopath: string;
let goLog: string;

/** A shell script; `body` runs with /bin/sh. */
async function script(file: string, body: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A temporal binary that says `version` (a go-install build says 0.0.0-DEV; `marker` is what fake go reads). */
const fakeTemporal = (file: string, version: string, marker = '') =>
  script(file, `# ${marker}\necho "temporal version ${version} (Server 1.28.0, UI 2.39.0)"`);

/** A go toolchain: `go env GOBIN GOPATH`, `go version -m` (v1.5.1 for binaries marked MOD151), `go install` (builds one). */
async function fakeGo(): Promise<void> {
  await script(
    path.join(bin, 'go'),
    [
      `echo "$*" >> "${goLog}"`,
      'case "$1" in',
      `  env) echo ""; echo "${gopath}" ;;`,
      `  version) grep -q MOD151 "$3" && printf '%s: go1.26\\n\\tmod\\tgithub.com/temporalio/cli\\tv1.5.1\\th1:x=\\n' "$3" ;;`,
      `  install) mkdir -p "${gopath}/bin" && printf '#!/bin/sh\\n# MOD151\\necho "temporal version 0.0.0-DEV"\\n' > "${gopath}/bin/temporal" && chmod +x "${gopath}/bin/temporal" ;;`,
      'esac',
    ].join('\n'),
  );
}

function env(extra: Record<string, string> = {}): LookupEnv {
  // Only the fake bin directory and the shell's own tools: nothing from this machine's Go or temporal.
  return { PATH: `${bin}:/usr/bin:/bin`, HOME: path.join(root, 'home'), ...extra };
}

async function goCalls(): Promise<string[]> {
  return (await readFile(goLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'temporal-cli-'));
  bin = path.join(root, 'bin');
  gopath = path.join(root, 'gopath');
  goLog = path.join(root, 'go.log');
  await mkdir(bin, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('finding the Temporal CLI', () => {
  it('uses a release binary 1.5.1 on PATH and builds nothing', async () => {
    await fakeGo();
    await fakeTemporal(path.join(bin, 'temporal'), '1.5.1');
    const announced: string[] = [];
    const cli = await ensureTemporalCli(undefined, (m) => announced.push(m), env());
    expect(cli).toEqual({ path: path.join(bin, 'temporal'), source: 'PATH', version: '1.5.1' });
    expect(announced).toEqual([]);
    expect((await goCalls()).some((c) => c.startsWith('install'))).toBe(false);
  });

  it('recognises a go-install build (0.0.0-DEV) in $(go env GOPATH)/bin by its module version', async () => {
    await fakeGo();
    await fakeTemporal(path.join(gopath, 'bin', 'temporal'), '0.0.0-DEV', 'MOD151');
    const plan = planTemporalCli(undefined, env());
    expect(plan).toEqual({ kind: 'found', cli: { path: path.join(gopath, 'bin', 'temporal'), source: 'go bin', version: '1.5.1' } });
  });

  it('builds 1.5.1 with go install when only another version is there, announcing that it takes minutes', async () => {
    await fakeGo();
    await fakeTemporal(path.join(bin, 'temporal'), '1.3.0');
    const announced: string[] = [];
    const cli = await ensureTemporalCli(undefined, (m) => announced.push(m), env());
    expect(cli).toEqual({ path: path.join(gopath, 'bin', 'temporal'), source: 'go install', version: '1.5.1' });
    expect(await goCalls()).toContain('install github.com/temporalio/cli/cmd/temporal@v1.5.1');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toContain(`${path.join(bin, 'temporal')} is version 1.3.0`);
    expect(announced[0]).toMatch(/a few minutes, once/);

    // The second time it is found and nothing is built again.
    await writeFile(goLog, '');
    const again = await ensureTemporalCli(undefined, () => undefined, env());
    expect(again?.source).toBe('go bin');
    expect((await goCalls()).some((c) => c.startsWith('install'))).toBe(false);
  });

  it('without Go and without a binary, names what to install', async () => {
    expect(planTemporalCli(undefined, env())).toEqual({ kind: 'missing', others: [] });
    expect(await ensureTemporalCli(undefined, () => undefined, env())).toBeNull();
    const message = missingCliMessage();
    expect(message).toMatch(/Temporal CLI 1\.5\.1 not found/);
    expect(message).toMatch(/Install Go \(apt-get install golang-go/);
    expect(message).toMatch(/TEMPORAL_CLI_PATH/);
    expect(message).toMatch(/TEMPORAL_ADDRESS/);
  });

  it('without Go, uses a binary of another version as found', async () => {
    await fakeTemporal(path.join(bin, 'temporal'), '1.3.0');
    const cli = await ensureTemporalCli(undefined, () => undefined, env());
    expect(cli).toEqual({ path: path.join(bin, 'temporal'), source: 'PATH', version: '1.3.0' });
  });

  it('a failing go install is an error with go’s own output', async () => {
    await script(path.join(bin, 'go'), `case "$1" in env) echo ""; echo "${gopath}" ;; install) echo "proxy.golang.org: no such host" >&2; exit 1 ;; esac`);
    await expect(ensureTemporalCli(undefined, () => undefined, env())).rejects.toThrow(/go install .*@v1\.5\.1 failed \(1\)[\s\S]*no such host/);
  });

  it('TEMPORAL_CLI_PATH is taken as it is, and must be executable', async () => {
    const own = await fakeTemporal(path.join(root, 'elsewhere', 'temporal'), '1.3.0');
    expect(planTemporalCli(own, env())).toEqual({ kind: 'found', cli: { path: own, source: 'TEMPORAL_CLI_PATH', version: null } });
    expect(() => planTemporalCli(path.join(root, 'nope'), env())).toThrow(TemporalCliError);
    expect(() => planTemporalCli(path.join(root, 'nope'), env())).toThrow(/TEMPORAL_CLI_PATH=.*nope is not an executable file/);
  });
});
