/**
 * X-Ray subsegments for the calls a function makes: every fetch (the providers, SSM, S3, the JWKS) and every
 * DynamoDB command, under the Lambda function's own segment. Instead of the X-Ray SDK (Powertools Tracer
 * needs aws-xray-sdk-core in every bundle), documents go straight to the daemon Lambda runs beside the
 * function, as the X-Ray developer guide defines them:
 *   - "send the segment/subsegment in JSON over UDP … to the X-Ray daemon, prepended by the daemon header:
 *     {"format": "json", "version": 1}\n" (aws/aws-xray-daemon README; the address is AWS_XRAY_DAEMON_ADDRESS);
 *   - a subsegment sent on its own has `type: "subsegment"`, the `trace_id` and the `parent_id` of its segment,
 *     a 16-hex-digit `id`, `start_time`/`end_time` in epoch seconds ("Sending trace data to AWS X-Ray");
 *   - `namespace` is `aws` for AWS SDK calls (with `aws.operation`, `aws.table_name`, `aws.region`,
 *     `aws.request_id`) and `remote` for other downstream calls, with `http.request.method`/`url` and
 *     `http.response.status`; `error` marks a 4xx, `throttle` a 429, `fault` a 5xx or no answer
 *     ("AWS X-Ray segment documents").
 * The segment to attach to is the invocation's `_X_AMZN_TRACE_ID` (`Root=…;Parent=…;Sampled=1`); nothing is
 * sent for an unsampled invocation, and nothing at all outside Lambda (no daemon address).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import diagnostics from 'node:diagnostics_channel';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const HEADER = '{"format":"json","version":1}\n';

/** What one subsegment says about a call. */
interface Call {
  readonly name: string;
  readonly namespace: 'aws' | 'remote';
  readonly method?: string;
  readonly url?: string;
  readonly aws?: Readonly<Record<string, string | undefined>>;
}

/** Sends subsegments to the daemon; `traceHeader` reads the current invocation's trace header. */
export interface XrayRecorder {
  /** Records a finished call; `status` is the HTTP status, undefined when no answer came. */
  record(call: Call, startMs: number, endMs: number, status: number | undefined): void;
}

/** Root and Parent of a sampled `_X_AMZN_TRACE_ID`, or undefined. */
export function parseTraceHeader(header: string | undefined): { root: string; parent: string } | undefined {
  const fields = Object.fromEntries(
    (header ?? '').split(';').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  if (fields.Sampled !== '1' || !fields.Root || !fields.Parent) return undefined;
  return { root: fields.Root, parent: fields.Parent };
}

/** A recorder sending to `daemonAddress` (`host:port`) for the trace header `traceHeader()` returns. */
export function xrayRecorder(daemonAddress: string, traceHeader: () => string | undefined): XrayRecorder {
  const [host, port] = [
    daemonAddress.slice(0, daemonAddress.lastIndexOf(':')),
    Number(daemonAddress.slice(daemonAddress.lastIndexOf(':') + 1)),
  ];
  let socket: Socket | undefined;
  return {
    record(call, startMs, endMs, status) {
      const trace = parseTraceHeader(traceHeader());
      if (!trace) return;
      const document = {
        type: 'subsegment',
        id: randomBytes(8).toString('hex'),
        trace_id: trace.root,
        parent_id: trace.parent,
        name: call.name,
        namespace: call.namespace,
        start_time: startMs / 1000,
        end_time: endMs / 1000,
        ...(call.method || status !== undefined
          ? {
              http: {
                ...(call.method ? { request: { method: call.method, url: call.url } } : {}),
                ...(status !== undefined ? { response: { status } } : {}),
              },
            }
          : {}),
        ...(call.aws ? { aws: call.aws } : {}),
        ...(status === undefined || status >= 500 ? { fault: true } : {}),
        ...(status !== undefined && status >= 400 && status < 500 ? { error: true } : {}),
        ...(status === 429 ? { throttle: true } : {}),
      };
      if (!socket) {
        socket = createSocket('udp4');
        socket.unref(); // never keeps the function (or a test) alive
      }
      socket.send(`${HEADER}${JSON.stringify(document)}`, port, host, () => undefined);
    },
  };
}

/** Records every fetch (undici's diagnostics channels, which Node's fetch publishes) as a `remote` call. */
export function traceFetch(recorder: XrayRecorder): void {
  const started = new WeakMap<object, number>();
  type Request = { origin?: string; method?: string; path?: string };
  const call = (request: Request): Call => {
    const url = `${request.origin ?? ''}${(request.path ?? '').split('?')[0]}`; // no query: it may carry tokens
    return {
      name: new URL(request.origin ?? 'http://unknown').hostname,
      namespace: 'remote',
      method: request.method,
      url,
    };
  };
  diagnostics.subscribe('undici:request:create', (message) => {
    started.set((message as { request: object }).request, Date.now());
  });
  diagnostics.subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: Request; response: { statusCode: number } };
    recorder.record(call(request), started.get(request) ?? Date.now(), Date.now(), response.statusCode);
  });
  diagnostics.subscribe('undici:request:error', (message) => {
    const { request } = message as { request: Request };
    recorder.record(call(request), started.get(request) ?? Date.now(), Date.now(), undefined);
  });
}

/** Records every command of `client` as an `aws` call to DynamoDB. */
export function traceDynamo(client: DynamoDBDocumentClient, recorder: XrayRecorder, region: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; TransactItems?: unknown[] };
      const aws = {
        operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
        region,
        table_name: input.TableName,
      };
      const start = Date.now();
      try {
        const output = await next(args);
        const meta = (output.output as { $metadata?: { httpStatusCode?: number; requestId?: string } })
          .$metadata;
        recorder.record(
          { name: 'DynamoDB', namespace: 'aws', aws: { ...aws, request_id: meta?.requestId } },
          start,
          Date.now(),
          meta?.httpStatusCode ?? 200,
        );
        return output;
      } catch (error) {
        const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
        recorder.record(
          { name: 'DynamoDB', namespace: 'aws', aws: { ...aws, request_id: meta?.requestId } },
          start,
          Date.now(),
          meta?.httpStatusCode,
        );
        throw error;
      }
    },
    { step: 'initialize', name: 'medpayXray' },
  );
}
