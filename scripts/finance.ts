/**
 * Finance CLI against the local stack (.local/stack.json) or any stage (MEDPAY_API_URL + MEDPAY_TOKEN, a
 * finance token):
 *   npm run statement -- --date 2026-11-24 [--channel alipay|wechatpay] [--format csv|xlsx] [--out DIR]
 *   npm run reconcile -- --date 2026-11-24 --channel alipay
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LOCAL_DIR } from './lib/local-secrets';

const [command = '', ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    date: { type: 'string' },
    channel: { type: 'string' },
    format: { type: 'string', default: 'csv' },
    out: { type: 'string', default: '.' },
  },
});

function target(): { apiUrl: string; token: string } {
  const apiUrl = process.env.MEDPAY_API_URL;
  const token = process.env.MEDPAY_TOKEN;
  if (apiUrl && token) return { apiUrl, token };
  const stackFile = resolve(LOCAL_DIR, 'stack.json');
  if (!existsSync(stackFile))
    throw new Error('Run `npm start` first, or set MEDPAY_API_URL and MEDPAY_TOKEN (a finance token).');
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as {
    apiUrl: string;
    tokens: { finance: string };
  };
  return { apiUrl: stack.apiUrl, token: stack.tokens.finance };
}

async function main() {
  const { apiUrl, token } = target();
  const auth = { authorization: `Bearer ${token}` };
  if (!values.date) throw new Error('--date yyyy-mm-dd is required');
  if (command === 'statement') {
    const query = new URLSearchParams({
      format: values.format,
      ...(values.channel ? { channel: values.channel } : {}),
    });
    const res = await fetch(`${apiUrl}/statements/${values.date}?${query.toString()}`, {
      headers: auth,
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`${res.status}: ${await res.text()}`);
    const file = await fetch(location);
    if (!file.ok) throw new Error(`download failed: ${file.status}`);
    const path = resolve(values.out, `medpay-${values.date}-${values.channel ?? 'all'}.${values.format}`);
    writeFileSync(path, Buffer.from(await file.arrayBuffer()));
    console.log(path);
    return;
  }
  if (command === 'reconcile') {
    if (!values.channel) throw new Error('--channel alipay|wechatpay is required');
    const res = await fetch(`${apiUrl}/reconciliations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ date: values.date, channel: values.channel }),
    });
    const body = await res.text();
    console.log(body);
    if (res.status !== 201) process.exitCode = 1;
    return;
  }
  throw new Error(
    'usage: finance.ts statement|reconcile --date yyyy-mm-dd [--channel …] [--format csv|xlsx]',
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
