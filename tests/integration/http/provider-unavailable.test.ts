import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lib/adapters/system/clock';
import { wechatpayProvider } from '../../../lib/adapters/wechatpay/provider';
import type { AppDeps } from '../../../lib/config/container';
import { createPayment } from '../../../lib/http/contract/payments/create-payment';
import { httpHandler } from '../../../lib/http/handler';
import { createPayment as createPaymentUseCase } from '../../../lib/usecases/payments/create';
import { loadPayment } from '../../../lib/usecases/payments/records';
import { testDeps } from '../../support/dynamo';
import { httpEvent, lambdaContext, tokenFor } from '../../support/http';
import { rsaKeyPair } from '../../support/provider-keys';

describe('a provider that fails or hangs', () => {
  let server: Server;
  let mode: 'error' | 'hang' = 'error';
  let baseURL = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"code":"SYSTEM_ERROR","message":"系统错误"}');
      } // 'hang': never answer
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function app() {
    const keys = rsaKeyPair();
    const provider = wechatpayProvider(
      {
        mchId: '1900000109',
        appId: 'wxd678efh567hg6787',
        merchantSerial: 'ABCDEF0123456789',
        merchantPrivateKey: keys.privateKey,
        apiV3Key: '0123456789abcdef0123456789abcdef',
        platformKeys: { PUB_KEY_ID_0000: keys.publicKey },
        baseURL,
        notifyUrl: 'http://127.0.0.1:9/webhooks/wechatpay',
        timeoutMs: 300,
      },
      systemClock,
    );
    const deps: AppDeps = await testDeps({ providers: { wechatpay: provider } });
    const handler = httpHandler(
      createPayment,
      async ({ body, caller, deps: d }) => {
        const { mode: _mode, authCode: _code, deviceId: _device, windowId: _window, ...request } = body;
        const { payment, clientParams } = await createPaymentUseCase(d, {
          ...request,
          mode: 'mini-program',
          amountFen: body.amountFen,
          patientId: caller.sub,
        });
        return { status: 201, body: { paymentId: payment.paymentId, clientParams } };
      },
      () => Promise.resolve(deps),
    );
    return { deps, handler };
  }

  it.each(['error', 'hang'] as const)(
    'answers 503 PROVIDER_UNAVAILABLE on a provider %s, and the same key may be retried',
    async (m) => {
      mode = m;
      const { handler } = await app();
      const token = await tokenFor('patient', 'P1');
      const event = () =>
        httpEvent('POST', '/payments', {
          headers: { authorization: `Bearer ${token}`, 'idempotency-key': `k-${m}` },
          body: {
            channel: 'wechatpay',
            purpose: 'examination',
            referenceId: 'HIS-1',
            amountFen: 100,
            description: 'x',
            payer: { wechatOpenId: 'o1' },
          },
        });
      const first = await handler(event(), lambdaContext());
      expect(first.statusCode).toBe(503);
      expect(JSON.parse(first.body).error.code).toBe('PROVIDER_UNAVAILABLE');
      const retry = await handler(event(), lambdaContext());
      expect(retry.statusCode).toBe(503);
      expect(retry.headers['Idempotency-Replayed']).toBeUndefined(); // a 5xx is never stored
    },
  );

  it('leaves the payment PENDING (for the sweep to close), never half-written', async () => {
    mode = 'error';
    const { deps } = await app();
    const ids: string[] = [];
    const recording = {
      ...deps,
      ids: {
        next: (k: Parameters<typeof deps.ids.next>[0]) => {
          const id = deps.ids.next(k);
          ids.push(id);
          return id;
        },
        derive: (k: Parameters<typeof deps.ids.derive>[0], key: string) => deps.ids.derive(k, key),
      },
    };
    await expect(
      createPaymentUseCase(recording, {
        patientId: 'P1',
        channel: 'wechatpay',
        purpose: 'other',
        referenceId: 'R',
        amountFen: 100 as never,
        description: 'x',
        payer: { wechatOpenId: 'o' },
        mode: 'mini-program',
      }),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect((await loadPayment(deps.ledger, ids[0] as string)).value.status).toBe('PENDING');
  });
});
