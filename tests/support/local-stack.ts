/** Runs `npm start` (scripts/start.ts) on free ports with its own .local/ directory, for e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { signDevToken } from '../../lib/http/auth';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../scripts/lib/dynamodb-local';
import { servedDocumentChecker } from './openapi-validator';

const ROOT = resolve(import.meta.dirname, '../..');

/** What .local/stack.json holds. */
export interface Stack {
  apiUrl: string;
  sandboxUrl: string;
  dynamodbUrl: string;
  lambdaUrl: string;
  tableName: string;
  patientId: string;
  tokens: Record<'patient' | 'staff' | 'finance' | 'admin', string>;
  alipay: {
    appId: string;
    sellerId: string;
    notifyUrl: string;
    alipayPrivateKeyFile: string;
    alipayPublicKeyFile: string;
  };
  wechatpay: {
    mchId: string;
    appId: string;
    notifyUrl: string;
    platformPrivateKeyFile: string;
    publicKeyId: string;
    apiV3KeyFile: string;
  };
}

/** A running local stack and how to stop it. */
export interface LocalStack {
  readonly stack: Stack;
  readonly process: ChildProcess;
  readonly localDir: string;
  output(): string;
  /**
   * Stops the stack (SIGINT, SIGKILL after 20 s) and waits for it to exit; removes its folder and keys
   * unless `keep` (to start it again on the same folder).
   */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/**
 * Starts the stack and resolves once stack.json is written (the API answers /health by then). `localDir`
 * reuses a stopped stack's folder (its ledger and sandbox books), as a restart would; `env` sets MEDPAY_*
 * variables serverless.yml reads (a shorter payment-code schedule, for instance).
 */
export async function startLocalStack(
  options: { localDir?: string; env?: Readonly<Record<string, string>> } = {},
): Promise<LocalStack> {
  const localDir = options.localDir ?? mkdtempSync(join(tmpdir(), 'medpay-e2e-'));
  rmSync(join(localDir, 'stack.json'), { force: true }); // written again once this start is up
  const [dynamodb, api, lambda, sandbox, s3] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  // Exactly what a person runs: npm start (its prestart check, then the stack exec'd in npm's child).
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      MEDPAY_LOCAL_DIR: localDir,
      MEDPAY_DYNAMODB_PORT: String(dynamodb),
      MEDPAY_S3_PORT: String(s3),
      MEDPAY_API_PORT: String(api),
      MEDPAY_LAMBDA_PORT: String(lambda),
      MEDPAY_SANDBOX_PORT: String(sandbox),
      ...options.env,
    },
    detached: true, // its own process group, so a failed start can be killed whole
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const file = join(localDir, 'stack.json');
  const deadline = Date.now() + 150_000;
  const fail = (why: string) => {
    killGroup(child); // what started before the failure too
    rmSync(localDir, { recursive: true, force: true });
    return new Error(`the stack did not start (${why}):\n${output}`);
  };
  while (!existsSync(file)) {
    if (child.exitCode !== null) throw fail(`exit ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) throw fail('no stack.json in 150 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  let stack: Stack;
  try {
    stack = JSON.parse(readFileSync(file, 'utf8')) as Stack;
  } catch (e) {
    throw fail(`unreadable stack.json: ${String(e)}`);
  }
  return {
    stack,
    process: child,
    localDir,
    output: () => output,
    stop: async ({ keep = false } = {}) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGINT');
        const killer = setTimeout(() => killGroup(child), 20_000);
        await exited;
        clearTimeout(killer);
      }
      if (!keep) rmSync(localDir, { recursive: true, force: true });
    },
  };
}

/** A form body signed as the stack's sandbox "Alipay" signs notifications (RSA2 over the sorted k=v pairs). */
export function signedAlipayForm(stack: Stack, params: Record<string, string>): string {
  const content = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const sign = createSign('RSA-SHA256')
    .update(content)
    .sign(readFileSync(stack.alipay.alipayPrivateKeyFile, 'utf8'), 'base64');
  return new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString();
}

/** Posts a form body to the stack's Alipay webhook; the answer is checked against the OpenAPI document. */
export async function postAlipayWebhook(stack: Stack, body: string) {
  const res = await fetch(`${stack.apiUrl}/webhooks/alipay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const text = await res.text();
  await servedDocumentChecker(stack.apiUrl)('POST', '/webhooks/alipay', res, text);
  return { status: res.status, headers: res.headers, text: () => Promise.resolve(text) };
}

/** SIGKILL to the stack's whole process group (it is started detached, as its own group). */
function killGroup(child: ChildProcess) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** A JSON response from the stack. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Record<string, any>;
}

/**
 * The e2e tests' view of a running stack: an API caller (bearer token, an Idempotency-Key on every POST,
 * no redirects followed), the sandbox, fresh patient tokens, and a payer per channel.
 */
export function stackClient(local: LocalStack) {
  const { stack } = local;
  const jwtSecret = readFileSync(join(local.localDir, 'jwt-hs256-secret'), 'utf8');
  const conforms = servedDocumentChecker(stack.apiUrl);
  return {
    /** Every response is checked against the served OpenAPI document (tests/support/openapi-validator.ts). */
    async api(
      method: string,
      path: string,
      token: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<ApiResponse> {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          'content-type': 'application/json',
          ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      await conforms(method, path, res, text);
      return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : {} };
    },
    /** GET (no body) or POST (JSON body) to the sandbox. */
    async sandbox(path: string, body?: unknown): Promise<Record<string, any>> {
      const res = await fetch(
        `${stack.sandboxUrl}${path}`,
        body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
      );
      return (await res.json()) as Record<string, any>;
    },
    /** A token for a new patient. */
    async patient() {
      const sub = `P${randomUUID().slice(0, 8).toUpperCase()}`;
      return { sub, token: await signDevToken(jwtSecret, { sub, role: 'patient' }) };
    },
  };
}

/** A payer id the sandbox accepts for each channel. */
export const payerFor = (channel: string) =>
  channel === 'alipay'
    ? { alipayUserId: '2088102122524333' }
    : { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' };

/** Every live descendant of `pid`, read from /proc. */
export function descendants(pid: number): number[] {
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

/** True while `pid` runs (a zombie does not count). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};
