/**
 * (j) `npm start` measured as a newcomer meets it (#13): the warm start (node_modules installed, .local/
 * present) until /health answers, and the resident memory of its whole process tree at rest and with every
 * function warm, side by side with two floors started the same way: DynamoDB Local alone, and
 * serverless-offline serving one empty function.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startDynamoDbLocal } from '../scripts/lib/dynamodb-local';

const ROOT = resolve(import.meta.dirname, '..');

/** Resident memory (MB) of `pid` and every descendant, from /proc. */
export function treeRssMB(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      /* exited while we looked */
    }
  }
  let kb = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    kb += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return Math.round(kb / 1024);
}

async function until(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

const answers = (url: string) => async () => (await fetch(url)).status === 200;

/** Stops a process group and waits. */
async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGINT');
  const kill = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(kill);
}

/** npm start's stack on free ports in `dir`; resolves with its process once /health answers. */
async function startStack(dir: string) {
  const ports = {
    api: await freePort(),
    lambda: await freePort(),
    dynamo: await freePort(),
    sandbox: await freePort(),
    s3: await freePort(),
  };
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      MEDPAY_LOCAL_DIR: dir,
      MEDPAY_API_PORT: String(ports.api),
      MEDPAY_LAMBDA_PORT: String(ports.lambda),
      MEDPAY_DYNAMODB_PORT: String(ports.dynamo),
      MEDPAY_SANDBOX_PORT: String(ports.sandbox),
      MEDPAY_S3_PORT: String(ports.s3),
    },
  });
  await until(answers(`http://127.0.0.1:${ports.api}/health`), 120_000);
  return { child, ports, startMs: Date.now() - started };
}

/**
 * Calls every function once, as a role it lets in (routes answer 4xx for the made-up ids; the jobs run on the
 * empty ledger); relayOutbox and deliverCallbacks run on the stack's own 2 s schedule.
 */
async function warmEveryFunction(dir: string, ports: { api: number; lambda: number }) {
  const stack = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as {
    tokens: Record<string, string>;
  };
  const api = `http://127.0.0.1:${ports.api}`;
  const calls: Array<[method: string, path: string, role?: string]> = [
    ['GET', '/auth/whoami'],
    ['GET', '/payments?date=2026-01-01'],
    ['GET', '/payments/x'],
    ['GET', '/refunds/x'],
    ['GET', '/refunds/bulk/x'],
    ['GET', '/visits/x'],
    ['GET', '/copy-requests/x'],
    ['GET', '/reconciliations/x', 'finance'],
    ['GET', '/reconciliations?date=2026-01-01', 'finance'],
    ['GET', '/statements/2026-01-01', 'finance'],
    ['GET', '/events', 'admin'],
    ['GET', '/notification-endpoints', 'admin'],
    ['GET', '/openapi.json'],
    ['POST', '/payments'],
    ['POST', '/payments/x/close'],
    ['POST', '/payments/x/refunds'],
    ['POST', '/refunds/bulk'],
    ['POST', '/visits'],
    ['POST', '/visits/x/charges'],
    ['DELETE', '/visits/x/charges/y'],
    ['POST', '/visits/x/insurance/preauthorisations'],
    ['POST', '/visits/x/settle'],
    ['POST', '/visits/x/cancel'],
    ['POST', '/copy-requests'],
    ['POST', '/copy-requests/x/completion'],
    ['POST', '/copy-requests/x/payments'],
    ['POST', '/copy-requests/x/shipment'],
    ['POST', '/copy-requests/x/delivery'],
    ['POST', '/copy-requests/x/cancel'],
    ['POST', '/reconciliations', 'finance'],
    ['POST', '/discrepancies/x/resolve', 'finance'],
    ['POST', '/notification-endpoints', 'admin'],
    ['POST', '/webhooks/alipay'],
    ['POST', '/webhooks/wechatpay'],
  ];
  for (const [method, path, role = 'staff'] of calls)
    await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.tokens[role]}`,
        'content-type': 'application/json',
        'idempotency-key': `bench-${method}-${path}`,
      },
      ...(method === 'GET' ? {} : { body: '{}' }),
    });
  for (const fn of ['sweepPayments', 'visitJobs', 'expireCopyRequests', 'onPaymentSucceeded', 'financeDaily'])
    await fetch(`http://127.0.0.1:${ports.lambda}/2015-03-31/functions/medpay-local-${fn}/invocations`, {
      method: 'POST',
      body: '{}',
    });
}

/** serverless-offline with one empty function, in a temp service; resolves once it answers. */
async function emptyOffline(dir: string) {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'serverless.yml'),
    "service: empty\nframeworkVersion: '3'\nplugins: [serverless-offline]\nprovider: { name: aws, runtime: nodejs22.x }\nfunctions:\n  empty: { handler: handler.empty, events: [{ httpApi: { method: GET, path: /health } }] }\n",
  );
  writeFileSync(
    join(dir, 'handler.mjs'),
    "export const empty = async () => ({ statusCode: 200, body: '{}' });\n",
  );
  const port = await freePort();
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/osls/bin/serverless.js'),
      'offline',
      'start',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(port),
      '--lambdaPort',
      String(await freePort()),
    ],
    { cwd: dir, detached: true, stdio: 'ignore', env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' } },
  );
  await until(answers(`http://127.0.0.1:${port}/health`), 120_000);
  return { child, startMs: Date.now() - started };
}

/** Runs (j): returns start times (ms) and resident memory (MB). */
export async function benchLocalStack() {
  const dir = mkdtempSync(join(tmpdir(), 'medpay-bench-stack-'));
  const floorDir = mkdtempSync(join(tmpdir(), 'medpay-bench-offline-'));
  try {
    // A first start makes .local/ (keys, table); the one measured is the warm start after it.
    const first = await startStack(dir);
    await stopGroup(first.child);
    const warm = await startStack(dir);
    await new Promise((r) => setTimeout(r, 2_000));
    const atRestMB = treeRssMB(warm.child.pid as number);
    await warmEveryFunction(dir, warm.ports);
    await new Promise((r) => setTimeout(r, 2_000));
    const warmFunctionsMB = treeRssMB(warm.child.pid as number);
    await stopGroup(warm.child);

    const dynamoStarted = Date.now();
    const dynamo = await startDynamoDbLocal();
    const dynamoMs = Date.now() - dynamoStarted;
    const dynamoMB = treeRssMB(dynamo.process.pid as number);
    await dynamo.stop();

    const offline = await emptyOffline(floorDir);
    await new Promise((r) => setTimeout(r, 1_000));
    const offlineMB = treeRssMB(offline.child.pid as number);
    await stopGroup(offline.child);

    return {
      warmStartMs: warm.startMs,
      atRestMB,
      warmFunctionsMB,
      floors: {
        dynamodbLocal: { startMs: dynamoMs, rssMB: dynamoMB },
        offlineOneEmptyFunction: { startMs: offline.startMs, rssMB: offlineMB },
      },
      ratios: {
        start_vs_dynamodbLocalPlusEmptyOffline: Number(
          (warm.startMs / (dynamoMs + offline.startMs)).toFixed(2),
        ),
        rssWarm_vs_dynamodbLocalPlusEmptyOffline: Number(
          (warmFunctionsMB / (dynamoMB + offlineMB)).toFixed(2),
        ),
      },
      bars: { warmStartMs: 15_000, rssMB: 1_536 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (existsSync(floorDir)) rmSync(floorDir, { recursive: true, force: true });
  }
}

/** Prints (j). */
export function printLocalStack(r: Awaited<ReturnType<typeof benchLocalStack>>) {
  console.log('\n(j) npm start: warm start to /health, and resident memory of the whole process tree');
  console.log(
    `    ours                              start ${r.warmStartMs} ms   RSS at rest ${r.atRestMB} MB, every function warm ${r.warmFunctionsMB} MB`,
  );
  console.log(
    `    floor DynamoDB Local alone        start ${r.floors.dynamodbLocal.startMs} ms   RSS ${r.floors.dynamodbLocal.rssMB} MB`,
  );
  console.log(
    `    floor serverless-offline, 1 empty start ${r.floors.offlineOneEmptyFunction.startMs} ms   RSS ${r.floors.offlineOneEmptyFunction.rssMB} MB`,
  );
  for (const [k, v] of Object.entries(r.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}×`);
  const ok = r.warmStartMs <= r.bars.warmStartMs && r.warmFunctionsMB <= r.bars.rssMB;
  console.log(`    bars: start ≤ 15 s, RSS ≤ 1.5 GB: ${ok ? 'met' : 'NOT met'}`);
}
