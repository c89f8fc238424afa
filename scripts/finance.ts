/**
 * The finance CLIs, against the local stack (.local/stack.json) or any stage (MEDPAY_API_URL + MEDPAY_TOKEN, a
 * finance token): `npm run statement` and `npm run reconcile`. Input is checked here before any request;
 * progress goes to stderr; the result is a readable summary, or JSON with --json.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { businessDayOf } from '../lib/domain/business-day';
import { fen, formatYuan } from '../lib/domain/money';
import { LOCAL_DIR } from './lib/local-secrets';

const CHANNELS = ['alipay', 'wechatpay'] as const;
const FORMATS = ['csv', 'xlsx'] as const;

const HELP = {
  statement: `Usage: npm run statement -- --date yyyy-mm-dd [--channel alipay|wechatpay] [--format csv|xlsx]
                              [--out DIR] [--json]

Downloads a business day's statement (Asia/Shanghai) into DIR (default ./statements, created if missing).

  --date     the business day, e.g. 2026-11-24 (not in the future)
  --channel  one channel; both by default
  --format   csv (UTF-8 with BOM, opens in Excel) or xlsx (default csv)
  --out      the folder to write to (default ./statements)
  --json     print {"path","bytes",…} instead of a summary

Examples:
  npm run statement -- --date 2026-11-24
  npm run statement -- --date 2026-11-24 --channel alipay --format xlsx --out ~/Desktop

Against a deployed stage: MEDPAY_API_URL=https://… MEDPAY_TOKEN=<finance token> npm run statement -- …`,
  reconcile: `Usage: npm run reconcile -- --date yyyy-mm-dd --channel alipay|wechatpay [--json]

Reconciles a business day's ledger against the provider's bill and lists what differs. Exit status 1
when the run ends COMPLETED_WITH_DISCREPANCIES or FAILED.

  --date     the business day, e.g. 2026-11-24 (not in the future; bills appear from about 09:00 the next day)
  --channel  alipay or wechatpay
  --json     print the report as JSON (with its discrepancy lines)

Examples:
  npm run reconcile -- --date 2026-11-24 --channel wechatpay
  npm run reconcile -- --date 2026-11-24 --channel alipay --json | jq .summary

Against a deployed stage: MEDPAY_API_URL=https://… MEDPAY_TOKEN=<finance token> npm run reconcile -- …`,
} as const;

type Command = keyof typeof HELP;

/** A mistake in what was typed: one line, and the exit status 2. */
class UsageError extends Error {}

/** The command and its checked options. */
function parse(argv: readonly string[]) {
  const [command, ...rest] = argv;
  if (command !== 'statement' && command !== 'reconcile')
    throw new UsageError('use npm run statement or npm run reconcile');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        date: { type: 'string' },
        channel: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        out: { type: 'string', default: 'statements' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see npm run ${command} -- --help)`);
  }
  if (values.help) return { command, help: true as const };
  const date = values.date;
  if (!date) throw new UsageError(`--date yyyy-mm-dd is required (see npm run ${command} -- --help)`);
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
    throw new UsageError(`--date must be a real day as yyyy-mm-dd, e.g. 2026-11-24 (got "${date}")`);
  if (date > businessDayOf(new Date()))
    throw new UsageError(`--date ${date} is in the future (Asia/Shanghai)`);
  const channel = values.channel;
  if (channel !== undefined && !CHANNELS.includes(channel as never))
    throw new UsageError(`--channel must be alipay or wechatpay (got "${channel}")`);
  if (command === 'reconcile' && !channel) throw new UsageError('--channel alipay|wechatpay is required');
  if (!FORMATS.includes(values.format as never))
    throw new UsageError(`--format must be csv or xlsx (got "${values.format}")`);
  return {
    command,
    help: false as const,
    date,
    channel: channel as (typeof CHANNELS)[number] | undefined,
    format: values.format as (typeof FORMATS)[number],
    out: values.out,
    json: values.json,
  };
}

/** Where to call, with which token: MEDPAY_API_URL + MEDPAY_TOKEN, or the local stack. */
function target(): { apiUrl: string; token: string } {
  const apiUrl = process.env.MEDPAY_API_URL;
  const token = process.env.MEDPAY_TOKEN;
  if (apiUrl && token) return { apiUrl, token };
  const stackFile = resolve(LOCAL_DIR, 'stack.json');
  if (!existsSync(stackFile))
    throw new UsageError('no local stack: run npm start first, or set MEDPAY_API_URL and MEDPAY_TOKEN');
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as {
    apiUrl: string;
    tokens: { finance: string };
  };
  return { apiUrl: stack.apiUrl, token: stack.tokens.finance };
}

/** A progress line on stderr (overwritten in a terminal), so stdout stays the result. */
const progress = (text: string) =>
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
const done = () => process.stderr.isTTY && process.stderr.write('\r\x1b[2K');

/** The API's error as one line. */
async function failure(res: Response): Promise<Error> {
  const text = await res.text();
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string } };
    return new Error(`${res.status} ${error.code}: ${error.message}`);
  } catch {
    return new Error(`${res.status}: ${text.slice(0, 200)}`);
  }
}

async function statement(o: Extract<ReturnType<typeof parse>, { help: false }>) {
  const { apiUrl, token } = target();
  const label = `${o.date} ${o.channel ?? 'both channels'} ${o.format}`;
  progress(`Exporting the statement of ${label}…`);
  const query = new URLSearchParams({ format: o.format, ...(o.channel ? { channel: o.channel } : {}) });
  const res = await call(`${apiUrl}/statements/${o.date}?${query.toString()}`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw await failure(res);
  const file = await call(location);
  if (!file.ok || !file.body) throw new Error(`the download failed: ${file.status}`);
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of file.body as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    bytes += chunk.byteLength;
    progress(`Downloading ${label}: ${(bytes / 1024).toFixed(0)} KB`);
  }
  done();
  mkdirSync(o.out, { recursive: true });
  const path = resolve(o.out, `medpay-${o.date}-${o.channel ?? 'all'}.${o.format}`);
  const content = Buffer.concat(chunks);
  writeFileSync(path, content);
  const rows =
    o.format === 'csv' ? content.toString('utf8').split('\n').filter(Boolean).length - 1 : undefined;
  if (o.json)
    console.log(
      JSON.stringify({ path, bytes, date: o.date, channel: o.channel ?? 'all', format: o.format, rows }),
    );
  else console.log(`${path}\n  ${(bytes / 1024).toFixed(1)} KB${rows !== undefined ? `, ${rows} rows` : ''}`);
}

interface Report {
  reconciliationId: string;
  status: string;
  summary: Record<string, number>;
  failure?: string;
  lines?: Array<{
    class: string;
    kind: string;
    reference: string;
    ledgerFen?: number;
    providerFen?: number;
    otherDay?: string;
  }>;
}

async function reconcile(o: Extract<ReturnType<typeof parse>, { help: false }>) {
  const { apiUrl, token } = target();
  const headers = { authorization: `Bearer ${token}` };
  progress(`Reconciling ${o.channel} ${o.date}: downloading the bill and matching it against the ledger…`);
  const res = await call(`${apiUrl}/reconciliations`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ date: o.date, channel: o.channel }),
  });
  if (res.status !== 201) {
    done();
    throw await failure(res);
  }
  const created = (await res.json()) as Report;
  const detail = await call(`${apiUrl}/reconciliations/${created.reconciliationId}`, { headers });
  const report = detail.ok ? ((await detail.json()) as Report) : created;
  done();
  if (o.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const s = report.summary;
  const yuan = (value: number | undefined) => (value === undefined ? '—' : `¥${formatYuan(fen(value))}`);
  console.log(
    [
      `${o.channel} ${o.date}: ${report.status} (${report.reconciliationId})`,
      `  matched ${s.matched}, missing in ledger ${s.missingInLedger}, missing at provider ${s.missingAtProvider}, amount mismatch ${s.amountMismatch}, timing ${s.timing}`,
      `  provider fees ${yuan(s.feesFen)}`,
      ...(report.failure ? [`  failure: ${report.failure}`] : []),
      ...(report.lines ?? []).map(
        (l) =>
          `  - ${l.class} ${l.kind} ${l.reference}: ledger ${yuan(l.ledgerFen)}, provider ${yuan(l.providerFen)}${l.otherDay ? ` (booked ${l.otherDay})` : ''}`,
      ),
    ].join('\n'),
  );
  if (report.status !== 'COMPLETED') process.exitCode = 1;
}

/** fetch, with "is it running?" instead of a bare "fetch failed" when nothing answers. */
const call = (url: string, init?: RequestInit) =>
  fetch(url, init).catch((error: unknown) => {
    throw new Error(
      `${new URL(url).origin} does not answer (${(error as { cause?: { code?: string } }).cause?.code ?? 'no connection'}): is npm start running?`,
    );
  });

async function main() {
  const options = parse(process.argv.slice(2));
  if (options.help) {
    console.log(HELP[options.command as Command]);
    return;
  }
  await (options.command === 'statement' ? statement(options) : reconcile(options));
}

main().catch((error: unknown) => {
  const usage = error instanceof UsageError;
  console.error(`${usage ? 'usage' : 'error'}: ${(error as Error).message}`);
  process.exit(usage ? 2 : 1);
});
