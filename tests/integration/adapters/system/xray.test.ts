/**
 * X-Ray subsegments as the developer guide defines them, received by a UDP "daemon" on 127.0.0.1: the
 * daemon header line, then a subsegment with the invocation's Root as trace_id and its Parent as parent_id,
 * a 16-hex-digit id, epoch-second times, namespace `remote` + http for a fetch, `aws` + operation and
 * table_name for a DynamoDB command; error/fault flags by status; nothing for an unsampled invocation.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseTraceHeader,
  traceDynamo,
  traceFetch,
  xrayRecorder,
} from '../../../../lib/adapters/system/xray';
import { createTestTable } from '../../../support/dynamo';

// The example ids of "Sending trace data to AWS X-Ray" and Lambda's header layout.
const SAMPLED = 'Root=1-581cf771-a006649127e371903a2de979;Parent=70de5b6f19ff9a0b;Sampled=1';
let header: string | undefined = SAMPLED;
const received: string[] = [];
const daemon = createSocket('udp4');
const server = createServer((req, res) => {
  res.statusCode = req.url?.startsWith('/missing') ? 404 : 200;
  res.end('{}');
});
let recorder: ReturnType<typeof xrayRecorder>;
let base = '';

/** The next `n` documents the daemon receives, parsed after checking the header line. */
async function documents(n: number) {
  for (let i = 0; i < 100 && received.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  return received.splice(0, n).map((datagram) => {
    const [first, body] = [
      datagram.slice(0, datagram.indexOf('\n')),
      datagram.slice(datagram.indexOf('\n') + 1),
    ];
    expect(JSON.parse(first)).toEqual({ format: 'json', version: 1 });
    return JSON.parse(body) as Record<string, any>;
  });
}

beforeAll(async () => {
  daemon.on('message', (m) => received.push(m.toString('utf8')));
  await new Promise<void>((r) => daemon.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  recorder = xrayRecorder(`127.0.0.1:${daemon.address().port}`, () => header);
  traceFetch(recorder);
});
afterAll(async () => {
  daemon.close();
  await new Promise((r) => server.close(r));
});

describe('X-Ray subsegments', () => {
  it('reads the sampled trace header, and nothing else', () => {
    expect(parseTraceHeader(SAMPLED)).toEqual({
      root: '1-581cf771-a006649127e371903a2de979',
      parent: '70de5b6f19ff9a0b',
    });
    expect(parseTraceHeader(SAMPLED.replace('Sampled=1', 'Sampled=0'))).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });

  it('records a fetch as a remote call, without its query, flagging a 4xx as an error', async () => {
    await (await fetch(`${base}/v3/pay/transactions/out-trade-no/X?mchid=1900000109`)).text();
    await (await fetch(`${base}/missing`)).text();
    const [ok, missing] = await documents(2);
    expect(ok).toMatchObject({
      type: 'subsegment',
      trace_id: '1-581cf771-a006649127e371903a2de979',
      parent_id: '70de5b6f19ff9a0b',
      name: '127.0.0.1',
      namespace: 'remote',
      http: {
        request: { method: 'GET', url: `${base}/v3/pay/transactions/out-trade-no/X` },
        response: { status: 200 },
      },
    });
    expect(ok?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(ok?.end_time).toBeGreaterThanOrEqual(ok?.start_time);
    expect(ok?.start_time).toBeLessThan(Date.now() / 1000 + 1);
    expect(ok?.error).toBeUndefined();
    expect(missing).toMatchObject({ error: true, http: { response: { status: 404 } } });
    expect(missing?.fault).toBeUndefined();
  });

  it('records a DynamoDB command as an aws call with its operation and table', async () => {
    const { doc, tableName } = await createTestTable();
    traceDynamo(doc, recorder, 'cn-north-1');
    received.length = 0;
    await doc.send(new PutCommand({ TableName: tableName, Item: { pk: 'XRAY', sk: 'TEST' } }));
    const dynamo = await documents(1);
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]).toMatchObject({
      name: 'DynamoDB',
      aws: { operation: 'PutItem', table_name: tableName, region: 'cn-north-1' },
      http: { response: { status: 200 } },
    });
  });

  it('sends nothing for an unsampled invocation', async () => {
    header = SAMPLED.replace('Sampled=1', 'Sampled=0');
    await (await fetch(`${base}/v1`)).text();
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual([]);
    header = SAMPLED;
  });
});
