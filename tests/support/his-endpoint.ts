/** A HIS endpoint for e2e tests: records the medpay callbacks it receives (type and data) and answers 200. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, any>;

/** Starts the endpoint on a free port; `received` fills as callbacks arrive. */
export async function startHisEndpoint() {
  const received: Array<{ type: string; data: Json }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({
        type: String(req.headers['medpay-event-type']),
        data: (JSON.parse(body) as Json).data as Json,
      });
      res.statusCode = 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/his`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
