/**
 * `npm start [-- --watch] [-- --reset]`: the whole local stack on 127.0.0.1. DynamoDB Local (8000) with the table from infra/,
 * the API on serverless-offline (3000), local secrets in .local/, and .local/stack.json for tools and tests.
 * Ports: MEDPAY_DYNAMODB_PORT, MEDPAY_API_PORT, MEDPAY_LAMBDA_PORT. Ctrl-C stops every child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ROLES, signDevToken, type Role } from '../lib/http/auth';
import { assertJava, localTable, startDynamoDbLocal, type DynamoDbLocal } from './lib/dynamodb-local';
import { LOCAL_DIR, ensureLocalSecrets } from './lib/local-secrets';
import { localFunctionEnv, localNotifyUrls } from './lib/local-env';
import { startSandbox } from '../sandbox/server';
import S3rver from 's3rver';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const HELP = `Usage: npm start [-- --watch] [-- --reset]

Starts the local stack on 127.0.0.1: DynamoDB Local, s3rver, the provider sandbox and the API
(serverless-offline). Ctrl-C (or SIGTERM to this process) stops all of it.

  --watch   rebuild the functions when a source file changes (off by default: it costs memory)
  --reset   forget the local ledger and the sandbox's books (.local/dynamodb, .local/sandbox-books.json),
            keeping the generated keys
  --help    this text

Ports: MEDPAY_DYNAMODB_PORT (8000), MEDPAY_S3_PORT (4569), MEDPAY_SANDBOX_PORT (4010),
MEDPAY_API_PORT (3000), MEDPAY_LAMBDA_PORT (3002); MEDPAY_LOCAL_DIR moves .local/.`;
let flags: { watch: boolean; reset: boolean; help: boolean };
try {
  flags = parseArgs({
    options: {
      watch: { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`npm start: ${(error as Error).message} (see npm start -- --help)`);
  process.exit(2);
}
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
const ROOT = resolve(import.meta.dirname, '..');
const STAGE = 'local';
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  dynamodb: port('MEDPAY_DYNAMODB_PORT', 8000),
  api: port('MEDPAY_API_PORT', 3000),
  lambda: port('MEDPAY_LAMBDA_PORT', 3002),
  sandbox: port('MEDPAY_SANDBOX_PORT', 4010),
  s3: port('MEDPAY_S3_PORT', 4569),
};

/**
 * Where serverless-esbuild builds the functions. A stack on another .local/ (the e2e tests') has its own
 * folder, removed when it stops: a folder must never be shared with another running stack.
 */
const BUILD_FOLDER = process.env.MEDPAY_LOCAL_DIR ? `.esbuild-${basename(LOCAL_DIR)}` : '.esbuild';

let dynamo: DynamoDbLocal | undefined;
let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
let api: ChildProcess | undefined;
let s3: S3rver | undefined;
let stopping: Promise<never> | undefined;

/**
 * Stops every child (the API's whole process group, then DynamoDB Local), cleans up and exits. A terminal's
 * Ctrl-C reaches this process twice (the group's SIGINT and npm's forwarded one), and an impatient user
 * presses it again: every later call waits for the first shutdown instead of exiting before it cleaned up.
 */
function shutdown(code: number): Promise<never> {
  stopping ??= stop(code);
  return stopping;
}

/** The shutdown itself: each step runs even if one before it failed (a child killed by the same Ctrl-C). */
async function stop(code: number): Promise<never> {
  console.log('\nStopping the local stack…');
  rmSync(resolve(LOCAL_DIR, 'stack.json'), { force: true }); // nothing will answer at those URLs
  const step = (what: Promise<unknown> | undefined) => Promise.resolve(what).catch(() => undefined);
  await step(stopApi());
  await step(sandbox?.close());
  await step(s3?.close());
  await step(dynamo?.stop());
  if (BUILD_FOLDER !== '.esbuild') rmSync(resolve(ROOT, BUILD_FOLDER), { recursive: true, force: true });
  process.exit(code);
}

/** Stops serverless-offline's whole process group (esbuild and the Lambda workers too): SIGTERM, then SIGKILL. */
async function stopApi(): Promise<void> {
  if (!api?.pid || api.exitCode !== null || api.signalCode !== null) return;
  const group = -api.pid;
  const exited = new Promise((r) => api?.once('exit', r));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(group, name);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0)); // the terminal went away
// Whoever read our output may be gone (a closed terminal or pipe): an EPIPE must not stop the shutdown half way.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serverless-offline exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The API did not answer ${url} within 120 s.`);
}

/**
 * serverless-offline does not run schedules: the outbox relay (which, locally, hands events to their
 * subscribers in process, the HIS endpoints' queues included) and the callback delivery are invoked every
 * 2 s, as their 1-minute schedules and EventBridge rules do on AWS.
 */
function startLocalSchedule(lambdaUrl: string) {
  for (const name of ['relayOutbox', 'deliverCallbacks']) {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopping) return;
      busy = true;
      fetch(`${lambdaUrl}/2015-03-31/functions/medpay-${STAGE}-${name}/invocations`, {
        method: 'POST',
        body: '{}',
      })
        .then((res) => res.text())
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, 2_000);
    timer.unref();
  }
}

async function main(): Promise<void> {
  try {
    assertJava();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  const secrets = ensureLocalSecrets();
  const booksFile = resolve(LOCAL_DIR, 'sandbox-books.json');
  if (flags.reset) {
    // The ledger and the providers' books go together: reconciliation compares one with the other.
    rmSync(resolve(LOCAL_DIR, 'dynamodb'), { recursive: true, force: true });
    rmSync(booksFile, { force: true });
    console.log('Reset: the local ledger and the sandbox books are empty (keys kept).');
  }
  const tableName = `medpay-${STAGE}`;
  const statementsBucket = `medpay-${STAGE}-statements`;
  mkdirSync(resolve(LOCAL_DIR, 'dynamodb'), { recursive: true });

  const read = (file: string) => readFileSync(file, 'utf8');
  const { alipay, wechatpay } = secrets;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const notifyUrl = localNotifyUrls(apiUrl);

  // The API starts first, as bundling its functions takes longest; the rest starts while it builds (their
  // ports are known already). /health answers once the API is up; stack.json is written once all are.
  api = spawn(
    process.execPath,
    [resolve(ROOT, 'node_modules/osls/bin/serverless.js'), 'offline', 'start', '--stage', STAGE],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...localFunctionEnv(secrets, {
          sandboxUrl,
          apiUrl,
          s3Url: `http://127.0.0.1:${ports.s3}`,
          dynamodbUrl: `http://127.0.0.1:${ports.dynamodb}`,
          lambdaUrl: `http://127.0.0.1:${ports.lambda}`,
        }),
        MEDPAY_API_PORT: String(ports.api),
        MEDPAY_LAMBDA_PORT: String(ports.lambda),
        ...(flags.watch ? { MEDPAY_WATCH_PATTERN: './**/*.(js|ts)' } : {}),
        // A stack on another .local/ (the e2e tests') builds in its own folder: serverless-esbuild deletes
        // its folder on exit, which must never be the one another running stack serves from.
        MEDPAY_ESBUILD_WORK_FOLDER: BUILD_FOLDER,
      },
      detached: true, // its own process group, so shutdown() reaches esbuild and the Lambda workers too
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  api.once(
    'exit',
    (code) => void (stopping || (console.error(`serverless-offline exited (${code}).`), shutdown(1))),
  );

  const startDynamo = async () => {
    dynamo = await startDynamoDbLocal({ port: ports.dynamodb, dbPath: resolve(LOCAL_DIR, 'dynamodb') });
    dynamo.process.once(
      'exit',
      () => void (stopping || (console.error('DynamoDB Local stopped unexpectedly.'), shutdown(1))),
    );
    (await localTable(dynamo.endpoint, tableName)).destroy();
  };
  const startS3 = async () => {
    const s3Dir = resolve(LOCAL_DIR, 's3');
    mkdirSync(s3Dir, { recursive: true });
    s3 = new S3rver({
      address: '127.0.0.1',
      port: ports.s3,
      directory: s3Dir,
      silent: true,
      configureBuckets: [{ name: statementsBucket, configs: [] }],
    });
    await s3.run();
  };
  const startProviders = async () => {
    sandbox = await startSandbox({
      port: ports.sandbox,
      alipay: {
        appId: alipay.appId,
        sellerId: alipay.sellerId,
        appPublicKey: read(alipay.app.publicKeyFile),
        platformPrivateKey: read(alipay.platform.privateKeyFile),
      },
      wechatpay: {
        mchId: wechatpay.mchId,
        appId: wechatpay.appId,
        merchantSerial: wechatpay.merchantSerial,
        merchantPublicKey: read(wechatpay.merchant.publicKeyFile),
        apiV3Key: read(wechatpay.apiV3KeyFile).trim(),
        certificate: {
          serial: wechatpay.certificateSerial,
          privateKey: read(wechatpay.certificate.privateKeyFile),
        },
        publicKey: { id: wechatpay.publicKeyId, privateKey: read(wechatpay.publicKey.privateKeyFile) },
      },
      insurancePlatform: {
        ...(JSON.parse(read(secrets.insurance.platformFile)) as {
          appSecret: string;
          sm4KeyHex: string;
          privateKeyHex: string;
          platformPublicKeyHex: string;
        }),
        appId: secrets.insurance.appId,
        secretSeparator: '',
        version: '2.0.1',
        userId: '1234567812345678',
      },
      ereceipt: { appId: secrets.ereceipt.appId, key: read(secrets.ereceipt.keyFile).trim() },
      stateFile: booksFile,
    });
  };
  await Promise.all([startDynamo(), startS3(), startProviders()]);

  await waitForHealth(`${apiUrl}/health`, api);
  startLocalSchedule(`http://127.0.0.1:${ports.lambda}`);

  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const sub = role === 'patient' ? secrets.patientId : `${role}-dev`;
    tokens[role] = await signDevToken(secrets.jwtSecret, { sub, role });
  }
  const stack = {
    apiUrl,
    sandboxUrl,
    dynamodbUrl: `http://127.0.0.1:${ports.dynamodb}`,
    lambdaUrl: `http://127.0.0.1:${ports.lambda}`,
    s3Url: `http://127.0.0.1:${ports.s3}`,
    statementsBucket,
    tableName,
    tokens,
    patientId: secrets.patientId,
    alipay: {
      appId: alipay.appId,
      sellerId: alipay.sellerId,
      notifyUrl: notifyUrl.alipay,
      alipayPrivateKeyFile: alipay.platform.privateKeyFile,
      alipayPublicKeyFile: alipay.platform.publicKeyFile,
    },
    wechatpay: {
      mchId: wechatpay.mchId,
      appId: wechatpay.appId,
      notifyUrl: notifyUrl.wechatpay,
      platformPrivateKeyFile: wechatpay.publicKey.privateKeyFile,
      publicKeyId: wechatpay.publicKeyId,
      certificateSerial: wechatpay.certificateSerial,
      certificatePrivateKeyFile: wechatpay.certificate.privateKeyFile,
      apiV3KeyFile: wechatpay.apiV3KeyFile,
    },
    courier: { callbackSecretFile: secrets.courier.callbackSecretFile },
  };
  // Written whole, then renamed into place: whoever waits for the file never reads half of it.
  const stackFile = resolve(LOCAL_DIR, 'stack.json');
  writeFileSync(`${stackFile}.tmp`, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${stackFile}.tmp`, stackFile);

  console.log(`
medpay local stack is up (stage "${STAGE}")
  API        ${apiUrl}        (try: curl ${apiUrl}/health)
  OpenAPI    ${apiUrl}/openapi.json
  Sandbox    ${sandboxUrl}/sandbox   (Alipay, WeChat Pay v3, Pay Score and the insurance platform; pay and authorise here)
  DynamoDB   http://127.0.0.1:${ports.dynamodb}   table ${tableName}
  stack.json ${resolve(LOCAL_DIR, 'stack.json')}
  dev patient ${secrets.patientId}
Dev tokens (12 h; make more with npm run token -- --role staff --sub S1):
${ROLES.map((r) => `  ${r.padEnd(8)} ${tokens[r]}`).join('\n')}
Ctrl-C stops everything.`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
