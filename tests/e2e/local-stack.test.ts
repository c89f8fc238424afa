import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/dynamodb-local';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every live descendant of `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited while we looked */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

describe('npm start (the local stack)', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'medpay-e2e-'));
  let stackProcess: ChildProcess;
  let output = '';
  let stack: {
    apiUrl: string;
    dynamodbUrl: string;
    tableName: string;
    patientId: string;
    tokens: Record<string, string>;
  };

  beforeAll(async () => {
    const [dynamodb, api, lambda] = [await freePort(), await freePort(), await freePort()];
    stackProcess = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          MEDPAY_LOCAL_DIR: localDir,
          MEDPAY_DYNAMODB_PORT: String(dynamodb),
          MEDPAY_API_PORT: String(api),
          MEDPAY_LAMBDA_PORT: String(lambda),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    stackProcess.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    stackProcess.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const file = join(localDir, 'stack.json');
    const deadline = Date.now() + 150_000;
    while (!existsSync(file)) {
      if (stackProcess.exitCode !== null || Date.now() > deadline)
        throw new Error(`the stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    stack = JSON.parse(readFileSync(file, 'utf8'));
  }, 180_000);

  afterAll(() => {
    if (stackProcess.exitCode === null) stackProcess.kill('SIGKILL');
    rmSync(localDir, { recursive: true, force: true });
  });

  it('writes stack.json with the URLs, table, dev patient and a token per role, and keeps secrets private', () => {
    expect(stack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.dynamodbUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.tableName).toBe('medpay-local');
    expect(Object.keys(stack.tokens).sort()).toEqual(['admin', 'finance', 'patient', 'staff']);
    expect(output).toContain(stack.tokens.staff);
    expect(readdirSync(localDir)).toEqual(expect.arrayContaining(['jwt-hs256-secret', 'stack.json']));
    expect(output).not.toContain(readFileSync(join(localDir, 'jwt-hs256-secret'), 'utf8').trim());
  });

  it('serves GET /health and the OpenAPI document over HTTP', async () => {
    const health = await fetch(`${stack.apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/auth/whoami']));
  });

  it('accepts its dev tokens, and refuses a missing or forged one with 401', async () => {
    const whoami = (token?: string) =>
      fetch(`${stack.apiUrl}/auth/whoami`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect(await (await whoami(stack.tokens.patient)).json()).toEqual({
      sub: stack.patientId,
      role: 'patient',
    });
    expect(await (await whoami(stack.tokens.finance)).json()).toEqual({
      sub: 'finance-dev',
      role: 'finance',
    });
    const missing = await whoami();
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const [header, , signature] = (stack.tokens.staff ?? '').split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', exp: 9999999999 })).toString('base64url')}.${signature}`;
    expect((await whoami(forged)).status).toBe(401);
  });

  it('stops every child process on Ctrl-C (SIGINT)', async () => {
    const pid = stackProcess.pid as number;
    const children = descendants(pid);
    expect(children.length).toBeGreaterThanOrEqual(2); // DynamoDB Local's JVM and serverless-offline at least
    const exited = new Promise<number | null>((r) => stackProcess.once('exit', (code) => r(code)));
    stackProcess.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect.poll(() => children.filter(alive), { timeout: 15_000, interval: 200 }).toEqual([]);
  }, 30_000);
});
