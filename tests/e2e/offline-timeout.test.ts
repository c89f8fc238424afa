/**
 * The local stack's serverless-offline, as patched by scripts/patch-deps.mjs: a function that runs past its
 * timeout is answered 504 (API Gateway's answer, not 200 with the error as body), and the next call gets a
 * fresh worker and succeeds (serverless-offline#1896). A one-function service in a temp folder, so the
 * timeout can be 1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/dynamodb-local';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'medpay-offline-'));
let child: ChildProcess;
let base = '';

beforeAll(async () => {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    `service: timeout-check
frameworkVersion: '3'
plugins: [serverless-offline]
provider: { name: aws, runtime: nodejs22.x, httpApi: { payload: '2.0' } }
functions:
  slow:
    handler: handler.slow
    timeout: 1
    events: [{ httpApi: { method: GET, path: '/slow/{ms}' } }]
`,
  );
  writeFileSync(
    join(dir, 'handler.mjs'),
    `export const slow = async (event) => {
  await new Promise((r) => setTimeout(r, Number(event.pathParameters.ms)));
  return { statusCode: 200, body: 'done' };
};
`,
  );
  const [http, lambda] = [await freePort(), await freePort()];
  child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/osls/bin/serverless.js'), 'offline', 'start', '--host', '127.0.0.1'].concat([
      '--httpPort',
      String(http),
      '--lambdaPort',
      String(lambda),
      '--noPrependStageInUrl',
    ]),
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    },
  );
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`serverless-offline did not start:\n${output}`)), 60_000);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Server ready')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
  });
  base = `http://127.0.0.1:${http}`;
}, 90_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('serverless-offline (patched)', () => {
  it('answers a timed-out call 504, and the next call succeeds on a fresh worker', async () => {
    const slow = await fetch(`${base}/slow/3000`);
    expect(slow.status).toBe(504);
    expect(await slow.json()).toEqual({ message: 'Gateway Timeout' });
    const next = await fetch(`${base}/slow/0`);
    expect(next.status).toBe(200);
    expect(await next.text()).toBe('done');
  }, 30_000);
});
