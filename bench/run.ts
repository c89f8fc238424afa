/**
 * `npm run bench`: every number is a ratio against a floor measured side by side in this one run, on this
 * machine (absolute times on DynamoDB Local say little about AWS). Writes bench/results.json.
 *   (a) ledger commit vs one bare TransactWriteItems of the same items vs one bare PutItem
 *   (b) our Idempotency-Key middleware vs @aws-lambda-powertools/idempotency, first call and replay
 *   (c) cold start: import time of each bundled handler vs an empty bundled handler, and bundle sizes
 *   (d) webhook verify-and-apply vs raw crypto; (e) create-payment vs one TransactWriteItems + round trip
 *   (f) add-charge vs one bare TransactWriteItems; (g) visit settlement vs its provider round trips
 *   (h) reconciling 1,000,000 bill lines vs csv-parse + a Map join, with peak memory; (i) statement rows/s
 *   (j) npm start: warm start and resident memory vs DynamoDB Local alone and an empty serverless-offline
 *   (k) an insured payment vs its platform and wallet round trips plus one TransactWriteItems
 *   (n) an admission's charge line vs one bare TransactWriteItems of the same items
 */
import { randomInt } from 'node:crypto';
import { benchLocalStack, printLocalStack } from './local-stack';
import { benchAdmissions, printAdmissions } from './admissions';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { z } from 'zod';
import { dynamoLedgerStore } from '../lib/adapters/dynamodb/ledger-store';
import { buildDeps } from '../lib/config/container';
import { loadConfig } from '../lib/config/config';
import { Accounts } from '../lib/domain/ledger/accounts';
import { journalTransaction } from '../lib/domain/ledger/journal';
import { hs256Verifier, signDevToken } from '../lib/http/auth';
import { httpHandler } from '../lib/http/handler';
import type { HttpEvent } from '../lib/http/request';
import { defineRoute } from '../lib/http/route';
import { localTable, startDynamoDbLocal } from '../scripts/lib/dynamodb-local';
import { ownTmpdir } from '../scripts/lib/own-tmpdir';
import { httpEvent, lambdaContext } from '../tests/support/http';
import { benchPayments } from './payments';
import { benchPaymentCode } from './payment-code';
import { benchHospitals, HOSPITALS } from './hospitals';
import { benchVisits } from './visits';
import { benchInsured } from './insured';
import { benchReconcile, benchStatement } from './finance';
import { hospitalKeys } from '../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROOT = resolve(import.meta.dirname, '..');
// Everything the bench starts keeps its scratch files in a TMPDIR of its own (npm runs the bench itself without
// tsx's cache); the stacks (j) measures do cache, so their measured start is warm, as a developer's is.
ownTmpdir('medpay-bench-run-');
delete process.env.TSX_DISABLE_CACHE;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);

interface Stats {
  medianMs: number;
  p95Ms: number;
}
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}
const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const ratio = (a: Stats, b: Stats) => round(a.medianMs / b.medianMs, 2);

/** Runs each case once per round, in rotating order, so drift and warm-up hit every case alike. */
async function interleaved<K extends string>(
  cases: Record<K, (i: number) => Promise<unknown>>,
  iterations: number,
  warmup = 30,
): Promise<Record<K, Stats>> {
  const names = Object.keys(cases) as K[];
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = -warmup; i < iterations; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + warmup + k) % names.length] as K;
      const start = performance.now();
      await cases[name]?.(i + warmup);
      if (i >= 0) samples[name]?.push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((n) => [n, stats(samples[n] ?? [])])) as Record<K, Stats>;
}

async function benchLedger(endpoint: string) {
  const tableName = 'bench-ledger';
  const doc = await localTable(endpoint, tableName);
  const ledger = dynamoLedgerStore(doc, tableName, HOSPITAL);
  const at = new Date();
  const txn = (id: string) =>
    journalTransaction({
      txnId: `charge:${id}:added`,
      occurredAt: at,
      postings: [
        { account: Accounts.visitTab(`V${id}`), side: 'debit', amountFen: 1200 },
        { account: Accounts.patientReceivable(`P${id}`), side: 'credit', amountFen: 1200 },
      ],
    });
  const results = await interleaved(
    {
      ledgerCommit: (i) =>
        ledger.commit({
          entities: [
            {
              type: 'charge',
              id: `a${i}`,
              state: { status: 'ADDED', amountFen: 1200 },
              expect: { kind: 'absent' },
            },
          ],
          journal: txn(`a${i}`),
        }),
      bareTransactWrite: (i) =>
        doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...HOSPITAL.entity('charge', `b${i}`),
                    version: 1,
                    state: { status: 'ADDED', amountFen: 1200 },
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...HOSPITAL.journal(`charge:b${i}:added`), postings: txn(`b${i}`).postings },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: HOSPITAL.balance(`visit:Vb${i}:tab`),
                  UpdateExpression: 'ADD debitFen :d',
                  ExpressionAttributeValues: { ':d': 1200 },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: HOSPITAL.balance(`patient:Pb${i}:receivable`),
                  UpdateExpression: 'ADD creditFen :c',
                  ExpressionAttributeValues: { ':c': 1200 },
                },
              },
            ],
          }),
        ),
      barePutItem: (i) =>
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...HOSPITAL.entity('charge', `c${i}`), version: 1, state: { status: 'ADDED' } },
          }),
        ),
    },
    ITERATIONS,
  );
  return {
    ...results,
    ratios: {
      ledgerCommit_vs_bareTransactWrite: ratio(results.ledgerCommit, results.bareTransactWrite),
      ledgerCommit_vs_barePutItem: ratio(results.ledgerCommit, results.barePutItem),
      bareTransactWrite_vs_barePutItem: ratio(results.bareTransactWrite, results.barePutItem),
    },
  };
}

async function benchIdempotency(endpoint: string) {
  const tableName = 'bench-idempotency';
  const doc = await localTable(endpoint, tableName);
  const secret = 'bench-secret-0123456789-0123456789-abc';
  const deps = await buildDeps(
    loadConfig({
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      AUTH_HS256_SECRET: 'file:/dev/null',
      LOG_LEVEL: 'SILENT',
    }),
    { dynamo: doc, auth: hs256Verifier(secret) },
  );
  const body = z.object({ amountFen: z.number().int() });
  const work = (amountFen: number) => ({ status: 201, body: { orderId: 'ord_1', amountFen } });
  const route = (method: 'POST' | 'GET') =>
    defineRoute({
      operationId: `bench${method}`,
      method,
      path: '/bench',
      summary: 'bench',
      tags: [],
      auth: ['staff'],
      body,
      responses: () => ({}),
    });
  const ours = httpHandler(
    route('POST'),
    ({ body: b }) => work(b.amountFen),
    () => Promise.resolve(deps),
  );
  const oursWithoutIdempotency = httpHandler(
    route('GET'),
    ({ body: b }) => work(b.amountFen),
    () => Promise.resolve(deps),
  );

  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    expiryAttr: 'expiresAtEpochSec',
    clientConfig: { endpoint, region: 'cn-north-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } },
  });
  const powertools = makeIdempotent(
    async (event: HttpEvent, _context: Context) =>
      work((JSON.parse(event.body ?? '{}') as { amountFen: number }).amountFen),
    {
      persistenceStore,
      config: new IdempotencyConfig({
        eventKeyJmesPath: 'headers."idempotency-key"',
        expiresAfterSeconds: 86_400,
      }),
    },
  );

  const token = await signDevToken(secret, { sub: 'S1', role: 'staff' });
  const event = (method: string, key: string) =>
    httpEvent(method, '/bench', {
      body: { amountFen: 100 },
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    });
  await ours(event('POST', 'replay-key'), lambdaContext());
  await powertools(event('POST', 'pt-replay-key'), lambdaContext());

  const results = await interleaved(
    {
      oursFirstCall: (i) => ours(event('POST', `first-${i}`), lambdaContext()),
      oursReplay: () => ours(event('POST', 'replay-key'), lambdaContext()),
      powertoolsFirstCall: (i) => powertools(event('POST', `pt-first-${i}`), lambdaContext()),
      powertoolsReplay: () => powertools(event('POST', 'pt-replay-key'), lambdaContext()),
      oursStackWithoutIdempotency: () => oursWithoutIdempotency(event('GET', 'none'), lambdaContext()),
    },
    ITERATIONS,
  );
  return {
    ...results,
    ratios: {
      oursFirstCall_vs_powertoolsFirstCall: ratio(results.oursFirstCall, results.powertoolsFirstCall),
      oursReplay_vs_powertoolsReplay: ratio(results.oursReplay, results.powertoolsReplay),
      oursFirstCall_vs_ourStackWithoutIdempotency: ratio(
        results.oursFirstCall,
        results.oursStackWithoutIdempotency,
      ),
    },
    note: 'ours runs the full stack (JWT, zod, idempotency); powertools wraps the bare function, so ours carries extra work',
  };
}

/** The floors every bundle is compared with, built with the same options as the functions. */
const FLOORS: Record<string, string> = {
  empty: 'export const handler = async () => ({ statusCode: 200, body: "" });\n',
  dynamodb: [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    'const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "cn-north-1" }));',
    'export const handler = async () => ({ statusCode: 200, body: String(!!doc) });',
  ].join('\n'),
  dynamodbMiddyZodJose: [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    "import middy from '@middy/core';",
    "import * as z from 'zod/mini';",
    "import { jwtVerify } from 'jose';",
    'const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "cn-north-1" }));',
    'const body = z.object({ amountFen: z.int() });',
    'export const handler = middy(async (e) => { if (e.token) await jwtVerify(e.token, new Uint8Array(32)); return { statusCode: 200, body: JSON.stringify(body.parse(e.body ?? { amountFen: 1 })) + String(!!doc) }; });',
  ].join('\n'),
};

/** A bundle that holds the DynamoDB floor plus one more import, used by the handler so it is kept. */
const withPiece = (importLine: string, use: string) =>
  [
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    importLine,
    'const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "cn-north-1" }));',
    `export const handler = async () => ({ statusCode: 200, body: String(!!doc) + String(${use}) });`,
  ].join('\n');
const lib = (path: string) => JSON.stringify(join(ROOT, 'lib', path));

/**
 * Each piece medpay owns instead of a library (docs/dependencies.md), beside that library: the DynamoDB
 * floor plus the one or the other, bundled and imported like the functions, so the justification is measured
 * again in every run. A library that cannot even be imported from an ESM bundle is reported as such.
 */
const OWNED_PIECES: Record<string, { owned: string; library: string; name: string }> = {
  alipay: {
    name: 'alipay-sdk',
    owned: withPiece(`import { alipayClient } from ${lib('adapters/alipay/client')};`, 'typeof alipayClient'),
    library: withPiece("import { AlipaySdk } from 'alipay-sdk';", 'typeof AlipaySdk'),
  },
  wechatpay: {
    name: 'wechatpay-axios-plugin',
    owned: withPiece(
      `import { wechatpayApi } from ${lib('adapters/wechatpay/client')};`,
      'typeof wechatpayApi',
    ),
    library: withPiece("import { Wechatpay } from 'wechatpay-axios-plugin';", 'typeof Wechatpay'),
  },
  xlsx: {
    name: 'exceljs (streaming writer)',
    owned: withPiece(`import { xlsxWriter } from ${lib('adapters/files/xlsx')};`, 'typeof xlsxWriter'),
    library: withPiece("import ExcelJS from 'exceljs';", 'typeof ExcelJS.stream.xlsx.WorkbookWriter'),
  },
  ssm: {
    name: '@aws-sdk/client-ssm',
    owned: withPiece(
      `import { getSsmParameters } from ${lib('adapters/aws/ssm')};`,
      'typeof getSsmParameters',
    ),
    library: withPiece(
      "import { SSMClient, GetParametersCommand } from '@aws-sdk/client-ssm';",
      'typeof new SSMClient({}).send + typeof GetParametersCommand',
    ),
  },
  lambda: {
    name: '@aws-sdk/client-lambda',
    owned: withPiece(
      `import { lambdaFollowUp } from ${lib('adapters/aws/lambda-follow-up')};`,
      'typeof lambdaFollowUp',
    ),
    library: withPiece(
      "import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';",
      'typeof new LambdaClient({}).send + typeof InvokeCommand',
    ),
  },
  s3: {
    name: '@aws-sdk/client-s3 + s3-request-presigner',
    owned: withPiece(`import { s3FileStore } from ${lib('adapters/s3/file-store')};`, 'typeof s3FileStore'),
    library: withPiece(
      "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3'; import { getSignedUrl } from '@aws-sdk/s3-request-presigner';",
      'typeof new S3Client({}).send + typeof PutObjectCommand + typeof getSignedUrl',
    ),
  },
  xray: {
    name: '@aws-lambda-powertools/tracer',
    owned: withPiece(`import { xrayRecorder } from ${lib('adapters/system/xray')};`, 'typeof xrayRecorder'),
    library: withPiece("import { Tracer } from '@aws-lambda-powertools/tracer';", 'typeof new Tracer()'),
  },
};

/**
 * (c) Cold start: each function bundled as serverless.yml bundles it, imported in a fresh node process,
 * beside three floors built the same way: an empty handler, one that only builds a DynamoDB document
 * client, and one that adds middy, zod and jose; and each owned piece beside its library (OWNED_PIECES).
 */
async function benchColdStart() {
  const out = mkdtempSync(join(tmpdir(), 'medpay-bench-'));
  try {
    const entries: Record<string, string> = {};
    const sources: Record<string, string> = {
      ...Object.fromEntries(Object.entries(FLOORS).map(([k, v]) => [`floor-${k}`, v])),
      ...Object.fromEntries(
        Object.entries(OWNED_PIECES).flatMap(([k, v]) => [
          [`owned-${k}`, v.owned],
          [`library-${k}`, v.library],
        ]),
      ),
    };
    for (const [name, source] of Object.entries(sources)) {
      entries[name] = join(out, `${name}-src.ts`);
      writeFileSync(entries[name], source);
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    for (const f of walk(join(ROOT, 'functions')))
      entries[
        f
          .slice(join(ROOT, 'functions').length + 1)
          .replace(/\.ts$/, '')
          .replaceAll('/', '-')
      ] = f;
    // The same esbuild options serverless.yml uses for deployment.
    await build({
      entryPoints: entries,
      outdir: out,
      bundle: true,
      minify: true,
      mainFields: ['module', 'main'],
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      nodePaths: [join(ROOT, 'node_modules')],
      banner: {
        js: "import { createRequire as medpayCreateRequire } from 'node:module'; const require = medpayCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const rounds = Number(process.env.BENCH_COLD_RUNS ?? 21);
    // A bundle whose import throws (a library that breaks in ESM) is measured as NaN and reported.
    const importMs = (file: string) => {
      const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
      try {
        return Number(
          execFileSync(process.execPath, ['--input-type=module', '-e', script], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
            env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          }),
        );
      } catch {
        return Number.NaN;
      }
    };
    // Interleaved rounds: each round imports every bundle once, floors included, in a fresh shuffled
    // order, so neither a slow moment of the machine nor a place in the order falls on some bundles more
    // than others; the median over the rounds is kept.
    const samples = new Map<string, number[]>(Object.keys(entries).map((name) => [name, []]));
    for (let r = 0; r < rounds; r++) {
      const order = Object.keys(entries)
        .map((name) => ({ name, at: randomInt(1 << 30) }))
        .sort((a, b) => a.at - b.at);
      for (const { name } of order) samples.get(name)!.push(importMs(join(out, `${name}.mjs`)));
    }
    const measured: Record<string, { import: Stats; sizeKB: number }> = {};
    for (const name of Object.keys(entries))
      measured[name] = {
        import: stats(samples.get(name)!),
        sizeKB: round(statSync(join(out, `${name}.mjs`)).size / 1024, 1),
      };
    const floors = Object.fromEntries(
      Object.keys(FLOORS).map((k) => [k, measured[`floor-${k}`] as { import: Stats; sizeKB: number }]),
    );
    // A ratio to a floor is the median, over the rounds, of the two imports' ratio within one round: the
    // machine's slow and fast moments then fall on both sides of each ratio alike.
    const paired = (name: string, floor: string) => {
      const a = samples.get(name)!;
      const b = samples.get(`floor-${floor}`)!;
      return round(stats(a.map((ms, r) => ms / (b[r] as number))).medianMs, 2);
    };
    const vsFloor = (name: string) => ({
      sizeKB: (measured[name] as { sizeKB: number }).sizeKB,
      ratioVsDynamodbFloor: paired(name, 'dynamodb'),
    });
    const owned = Object.fromEntries(
      Object.entries(OWNED_PIECES).map(([k, v]) => [
        k,
        { library: v.name, owned: vsFloor(`owned-${k}`), libraryMeasured: vsFloor(`library-${k}`) },
      ]),
    );
    const functions = Object.fromEntries(
      Object.entries(measured)
        .filter(([k]) => !/^(floor|owned|library)-/.test(k))
        .map(([k, v]) => [
          k,
          {
            ...v,
            ratioVsEmpty: paired(k, 'empty'),
            ratioVsDynamodbFloor: paired(k, 'dynamodb'),
          },
        ]),
    );
    return { floors, functions, owned };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Prints (c) and which functions miss the bars (≤ 1.35× the DynamoDB floor, ≤ 900 KB; /health and
 * /openapi.json ≤ 2× the empty bundle), then each owned piece beside its library. */
function printColdStart(cold: Awaited<ReturnType<typeof benchColdStart>>) {
  console.log(
    '\n(c) cold start: import of the bundled handler (fresh node process each time, interleaved rounds)',
  );
  for (const [k, v] of Object.entries(cold.floors))
    console.log(
      `    floor ${k.padEnd(28)} ${String(v.sizeKB).padStart(8)} KB  import median ${v.import.medianMs} ms`,
    );
  for (const [k, v] of Object.entries(cold.functions))
    console.log(
      `    ${k.padEnd(34)} ${String(v.sizeKB).padStart(8)} KB  import median ${v.import.medianMs} ms  vs empty ${v.ratioVsEmpty}×  vs DynamoDB floor ${v.ratioVsDynamodbFloor}×`,
    );
  const over = Object.entries(cold.functions).filter(([k, v]) =>
    k === 'http-health' || k === 'http-openapi'
      ? v.ratioVsEmpty > 2
      : !(v.ratioVsDynamodbFloor <= 1.35) || v.sizeKB > 900,
  );
  console.log(
    over.length === 0
      ? '    every function within its bar'
      : `    over the bar: ${over.map(([k]) => k).join(', ')}`,
  );
  console.log('\n    owned pieces beside their libraries (the DynamoDB floor plus one or the other):');
  const shown = (m: { sizeKB: number; ratioVsDynamodbFloor: number }) =>
    Number.isNaN(m.ratioVsDynamodbFloor)
      ? `${m.sizeKB} KB, crashes at import`
      : `${m.sizeKB} KB, ${m.ratioVsDynamodbFloor}×`;
  for (const [k, v] of Object.entries(cold.owned))
    console.log(
      `    ${k.padEnd(10)} owned ${shown(v.owned).padEnd(28)} ${v.library}: ${shown(v.libraryMeasured)}`,
    );
}

/**
 * The bars of (m): within 3× the floor (round trip + one write: medpay needs a second, recording the
 * payment before the call), and within 2× the floor with that second write (bare one-item writes; medpay's
 * carry the code's claim, and the capture's journal lines, balances and event).
 */
const PAYMENT_CODE_BARS = { TransactWrite: 3, TwoWrites: 2 };

/** Prints (m): a payment by code against the provider's round trip plus one TransactWriteItems. */
function printPaymentCode(m: Awaited<ReturnType<typeof benchPaymentCode>>) {
  console.log(
    '\n(m) a payment by payment code (record, codepay / alipay.trade.pay, capture) vs its round trip plus one bare TransactWriteItems',
  );
  for (const [k, v] of Object.entries(m.cases))
    console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
  for (const [k, v] of Object.entries(m.ratios))
    console.log(
      `    ratio ${k.padEnd(52)} ${v}× (bar ${k.endsWith('TwoWrites') ? PAYMENT_CODE_BARS.TwoWrites : PAYMENT_CODE_BARS.TransactWrite}×)`,
    );
}

/** Prints (l): the payment's cost with 1,000 hospitals against one, and the writes per partition. */
function printHospitals(h: Awaited<ReturnType<typeof benchHospitals>>) {
  console.log(
    `\n(l) ${HOSPITALS} hospitals on one deployment vs one hospital, interleaved (Alipay create and apply)`,
  );
  for (const [k, v] of Object.entries(h.cases))
    console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
  for (const [k, v] of Object.entries(h.ratios))
    console.log(
      `    ratio ${k.padEnd(46)} ${v}× ${k.startsWith('createUnseen') ? '(one registry read more; no bar)' : '(bar 1.05×)'}`,
    );
  for (const [mode, p] of Object.entries(h.partitions))
    console.log(
      `    ${mode.padEnd(18)} ${p.writes} writes over ${p.partitions} partitions; the busiest (${p.largest.partition}) took ${p.largest.writes} = ${(p.largest.share * 100).toFixed(2)}% (one hospital of ${HOSPITALS}: ${(100 / HOSPITALS).toFixed(2)}%)`,
    );
}

/** Runs `part` against a DynamoDB Local started for it alone, stopped afterwards whatever happens. */
async function onFreshDynamoDb<R>(part: (endpoint: string) => Promise<R>): Promise<R> {
  const dynamo = await startDynamoDbLocal();
  try {
    return await part(dynamo.endpoint);
  } finally {
    await dynamo.stop();
  }
}

/** (m) at the run's iterations. */
const benchPaymentCodeHere = (endpoint: string) => benchPaymentCode(endpoint, interleaved, ITERATIONS);

async function main() {
  if (process.env.BENCH_ONLY === 'coldStart') {
    printColdStart(await benchColdStart());
    return;
  }
  if (process.env.BENCH_ONLY === 'reconcile') {
    const r = await benchReconcile(Number(process.env.BENCH_RECONCILE_LINES ?? 1_000_000));
    console.log(
      `(h) ours ${r.oursMedianMs} ms ${r.peakRssMB.ours} MB; floor ${r.floorMedianMs} ms ${r.peakRssMB.floor} MB`,
    );
    return;
  }
  if (process.env.BENCH_ONLY === 'localStack') {
    printLocalStack(await benchLocalStack());
    return;
  }
  if (process.env.BENCH_ONLY === 'paymentCode') {
    printPaymentCode(await onFreshDynamoDb(benchPaymentCodeHere));
    return;
  }
  if (process.env.BENCH_ONLY === 'admissions') {
    printAdmissions(await onFreshDynamoDb((endpoint) => benchAdmissions(endpoint, interleaved, ITERATIONS)));
    return;
  }
  if (process.env.BENCH_ONLY === 'hospitals') {
    printHospitals(await onFreshDynamoDb((endpoint) => benchHospitals(endpoint, interleaved, ITERATIONS)));
    return;
  }
  // Cold start first, while nothing else runs: DynamoDB Local's JVM, busy after (a) and (b), would share
  // the two cores with the imports being timed.
  const cold = await benchColdStart();
  printColdStart(cold);

  const dynamo = await startDynamoDbLocal();
  try {
    console.log(`DynamoDB Local at ${dynamo.endpoint}; ${ITERATIONS} interleaved iterations per case\n`);
    const ledger = await benchLedger(dynamo.endpoint);
    console.log('(a) ledger commit: entity + journal + 2 balances, one TransactWriteItems');
    for (const k of ['ledgerCommit', 'bareTransactWrite', 'barePutItem'] as const)
      console.log(`    ${k.padEnd(34)} median ${ledger[k]?.medianMs} ms  p95 ${ledger[k]?.p95Ms} ms`);
    for (const [k, v] of Object.entries(ledger.ratios)) console.log(`    ratio ${k.padEnd(40)} ${v}×`);

    const idem = await benchIdempotency(dynamo.endpoint);
    console.log('\n(b) Idempotency-Key: ours (full middy stack) vs @aws-lambda-powertools/idempotency');
    for (const k of [
      'oursFirstCall',
      'oursReplay',
      'powertoolsFirstCall',
      'powertoolsReplay',
      'oursStackWithoutIdempotency',
    ] as const)
      console.log(`    ${k.padEnd(34)} median ${idem[k]?.medianMs} ms  p95 ${idem[k]?.p95Ms} ms`);
    for (const [k, v] of Object.entries(idem.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}×`);

    const payments = await benchPayments(dynamo.endpoint, interleaved, ITERATIONS);
    console.log(
      '\n(d) webhook verify-and-apply (RSA verify, AES-GCM, DynamoDB commit) vs the raw node:crypto floor',
    );
    for (const [k, v] of Object.entries(payments.webhooks))
      console.log(`    ${k.padEnd(34)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    for (const [k, v] of Object.entries(payments.throughputPerSec))
      console.log(`    throughput ${k.padEnd(30)} ${v}/s (one caller)`);
    console.log('\n(e) create-payment vs one bare TransactWriteItems plus one signed sandbox round trip');
    for (const [k, v] of Object.entries(payments.create))
      console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    for (const [k, v] of Object.entries(payments.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}×`);

    const insured = await benchInsured(dynamo.endpoint, interleaved, ITERATIONS);
    console.log(
      '\n(k) insured payment (WeChat CASH_AND_INSURANCE) vs its round trips (authorisation, 6201, prepay, mixed order) plus one bare TransactWriteItems',
    );
    for (const [k, v] of Object.entries(insured.cases))
      console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    for (const [k, v] of Object.entries(insured.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}×`);

    const visits = await benchVisits(dynamo.endpoint, interleaved, ITERATIONS);
    console.log(
      '\n(f) add-charge (read + one TransactWriteItems with the credit check) vs one bare TransactWriteItems',
    );
    for (const [k, v] of Object.entries(visits.charges))
      console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    console.log(
      '\n(g) settlement end to end vs its provider round trips (6301 at the insurance platform + Alipay capture), alone and plus three bare TransactWriteItems',
    );
    for (const [k, v] of Object.entries(visits.settlement))
      console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    console.log(
      "\n(g2) a visit's insurance step (authorisation exchange, 6201, 6202, two commits) vs those round trips plus two bare single-put TransactWriteItems",
    );
    for (const [k, v] of Object.entries(visits.insurance))
      console.log(`    ${k.padEnd(40)} median ${v.medianMs} ms  p95 ${v.p95Ms} ms`);
    for (const [k, v] of Object.entries(visits.ratios)) console.log(`    ratio ${k.padEnd(46)} ${v}×`);

    const admissions = await benchAdmissions(dynamo.endpoint, interleaved, ITERATIONS);
    printAdmissions(admissions);

    // Last of the DynamoDB parts: its 1,000 hospitals' registry and writes would slow the others' table.
    const hospitals = await benchHospitals(dynamo.endpoint, interleaved, ITERATIONS);
    printHospitals(hospitals);

    // On a DynamoDB Local of its own: after the parts above, the shared one had slowed it fivefold, and its
    // thousands of payments slowed the visits part into timeouts.
    const paymentCode = await onFreshDynamoDb(benchPaymentCodeHere);
    printPaymentCode(paymentCode);

    const reconcileLines = Number(process.env.BENCH_RECONCILE_LINES ?? 1_000_000);
    const reconciliation = await benchReconcile(reconcileLines);
    console.log(
      `\n(h) reconcile ${reconcileLines} bill lines against ${reconcileLines} ledger lines (fresh process each, 3 rounds)`,
    );
    console.log(
      `    ours (SHA-1, gunzip, parse, match)      median ${reconciliation.oursMedianMs} ms  peak RSS ${reconciliation.peakRssMB.ours} MB`,
    );
    console.log(
      `    floor (gunzip + csv-parse + Map join)   median ${reconciliation.floorMedianMs} ms  peak RSS ${reconciliation.peakRssMB.floor} MB`,
    );
    console.log(`    ratio reconcile_vs_csvParseMapJoin                 ${reconciliation.ratio}×`);
    const statement = benchStatement();
    console.log(
      '\n(i) statement export (writers, rows from memory, fresh process each): rows/s and peak RSS',
    );
    for (const r of statement)
      console.log(
        `    ${r.format.padEnd(5)} ${String(r.rows).padStart(8)} rows  ${r.rowsPerSec} rows/s  peak RSS ${r.maxRssMB} MB`,
      );

    const localStack = await benchLocalStack();
    printLocalStack(localStack);

    const results = {
      localStack,
      payments,
      paymentCode,
      insured,
      hospitals,
      visits,
      admissions,
      reconciliation,
      statement,
      measuredAt: new Date().toISOString(),
      node: process.version,
      iterations: ITERATIONS,
      ledger,
      idempotency: idem,
      coldStart: { floors: cold.floors, ...cold.functions },
    };
    writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nwrote bench/results.json');
  } finally {
    await dynamo.stop();
  }
}

await main();
