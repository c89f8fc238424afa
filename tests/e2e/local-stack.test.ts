import { servedDocumentChecker } from '../support/openapi-validator';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHs256 } from '../support/tokens';
import {
  alive,
  descendants,
  stackClient,
  startLocalStack,
  type LocalStack,
  type Stack,
} from '../support/local-stack';

/** TCP listeners of `pids` from /proc/net/tcp{,6}: local address, and whether it is a loopback one. */
function listeners(pids: number[]): Array<{ pid: number; address: string; loopback: boolean }> {
  const inodes = new Map<string, number>();
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) inodes.set(inode, pid);
      }
    } catch {
      /* exited while we looked */
    }
  }
  const out: Array<{ pid: number; address: string; loopback: boolean }> = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const [address, state, inode] = [f[1] ?? '', f[3], f[9] ?? ''];
      if (state !== '0A' || !inodes.has(inode)) continue; // 0A: LISTEN
      const host = address.split(':')[0] ?? '';
      // 127.0.0.1 little-endian, as IPv4 or IPv4-mapped IPv6, or ::1.
      const loopback =
        host === '0100007F' ||
        host === '0000000000000000FFFF00000100007F' ||
        host === '00000000000000000000000001000000';
      out.push({ pid: inodes.get(inode) as number, address, loopback });
    }
  }
  return out;
}

describe('npm start (the local stack)', () => {
  let local: LocalStack;
  let stack: Stack;
  let localDir: string;
  let output: string;

  beforeAll(async () => {
    local = await startLocalStack();
    stack = local.stack;
    localDir = local.localDir;
    output = local.output();
  }, 180_000);

  afterAll(() => local?.stop());

  it('writes stack.json with the URLs, table, dev patient and a token per role, and keeps secrets private', () => {
    expect(stack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.dynamodbUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.tableName).toBe('medpay-local');
    expect(Object.keys(stack.tokens).sort()).toEqual(['admin', 'finance', 'operator', 'patient', 'staff']);
    expect(output).toContain(stack.tokens.staff);
    expect(readdirSync(localDir)).toEqual(expect.arrayContaining(['jwt-hs256-secret', 'stack.json']));
    expect(output).not.toContain(readFileSync(join(localDir, 'jwt-hs256-secret'), 'utf8').trim());
  });

  /** GET on the stack, the answer checked against the served OpenAPI document. */
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.apiUrl}${path}`, { headers });
    const text = await res.text();
    await servedDocumentChecker(stack.apiUrl)('GET', path, res, text);
    return { status: res.status, json: () => JSON.parse(text) as unknown };
  };

  it('serves GET /health and the OpenAPI document over HTTP', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/auth/whoami']));
  });

  it('accepts its dev tokens, and refuses a missing or forged one with 401', async () => {
    const whoami = (token?: string) => get('/auth/whoami', token ? { authorization: `Bearer ${token}` } : {});
    expect((await whoami(stack.tokens.patient)).json()).toEqual({
      sub: stack.patientId,
      role: 'patient',
    });
    expect((await whoami(stack.tokens.finance)).json()).toEqual({
      sub: 'finance-dev',
      role: 'finance',
    });
    const missing = await whoami();
    expect(missing.status).toBe(401);
    expect((missing.json() as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const [header, , signature] = (stack.tokens.staff ?? '').split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', exp: 9999999999 })).toString('base64url')}.${signature}`;
    expect((await whoami(forged)).status).toBe(401);
    // Signed with the stack's own secret, but without exp (it would never expire), or 90 s past it (> 60 s skew).
    const secret = readFileSync(join(localDir, 'jwt-hs256-secret'), 'utf8').trim();
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [
      { sub: 'S1', role: 'staff', iat: now },
      { sub: 'S1', role: 'staff', iat: now - 3600, exp: now - 90 },
    ]) {
      const refused = await whoami(signHs256(secret, claims));
      expect(refused.status).toBe(401);
      expect((refused.json() as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
    expect(
      (await whoami(signHs256(secret, { sub: 'S1', role: 'staff', iat: now, exp: now + 60 }))).status,
    ).toBe(200);
  });

  it('passes npm run doctor: configuration, keys, and both sandbox providers accepting its signatures', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(import.meta.dirname, '../../node_modules/tsx/dist/cli.mjs'),
        'scripts/doctor.ts',
        '--stage',
        'local',
        '--json',
      ],
      {
        cwd: join(import.meta.dirname, '../..'),
        env: { ...process.env, MEDPAY_LOCAL_DIR: local.localDir },
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(out) as {
      healthy: boolean;
      findings: Array<{ check: string; status: string }>;
    };
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(report.healthy).toBe(true);
    expect(report.findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['WECHATPAY_APIV3_KEY', 'Alipay gateway', 'WeChat Pay API']),
    );
  });

  it('listens on 127.0.0.1 only, every process of it', () => {
    const pids = [local.process.pid as number, ...descendants(local.process.pid as number)];
    const listening = listeners(pids);
    // The API, the Lambda endpoint, the sandbox, s3rver and DynamoDB Local at least.
    expect(listening.length).toBeGreaterThanOrEqual(5);
    expect(listening.filter((l) => !l.loopback)).toEqual([]);
  });

  it('keeps serving while npm test packages the service and another stack starts and stops', async () => {
    const packaged = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-check.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(packaged.status, packaged.stdout + packaged.stderr).toBe(0);
    const other = await startLocalStack();
    await other.stop();
    // Functions not called before (their bundles are read now), answered by their own code.
    const { token } = await stackClient(local).patient();
    const refused = await stackClient(local).api('POST', '/payments', token, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect((await get('/openapi.json')).status).toBe(200);
  }, 240_000);

  it('stops every child process when npm start gets SIGINT (what an IDE or a supervisor sends)', async () => {
    const stackProcess = local.process;
    const pid = stackProcess.pid as number;
    const children = descendants(pid);
    expect(children.length).toBeGreaterThanOrEqual(2); // DynamoDB Local's JVM and serverless-offline at least
    const exited = new Promise<number | null>((r) =>
      stackProcess.once('exit', (code: number | null) => r(code)),
    );
    stackProcess.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect.poll(() => children.filter(alive), { timeout: 15_000, interval: 200 }).toEqual([]);
  }, 30_000);
});
