/**
 * A restart changes nothing reconciliation sees (#13): the sandbox keeps its books in .local/ beside
 * DynamoDB Local's data, so a payment made before `npm start` was stopped is still in the provider's bill
 * after it starts again, and reconciling today is clean. `--reset` empties both.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { payerFor, stackClient, startLocalStack, type LocalStack } from '../support/local-stack';

let local: LocalStack | undefined;
afterAll(() => local?.stop());

describe('npm start, stopped and started again', () => {
  it('reconciles today cleanly after a restart', async () => {
    local = await startLocalStack();
    let client = stackClient(local);
    const { token } = await client.patient();
    const created = await client.api('POST', '/payments', token, {
      channel: 'wechatpay',
      purpose: 'examination',
      referenceId: 'HIS-RESTART',
      amountFen: 4200,
      description: '重启前的检查费',
      payer: payerFor('wechatpay'),
    });
    expect(created.status).toBe(201);
    expect(
      (await client.sandbox('/sandbox/pay', { channel: 'wechatpay', outTradeNo: created.body.outTradeNo }))
        .notified,
    ).toBe(true);

    await local.stop({ keep: true });
    local = await startLocalStack({ localDir: local.localDir });
    client = stackClient(local);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const run = await client.api('POST', '/reconciliations', local.stack.tokens.finance, {
      date: today,
      channel: 'wechatpay',
    });
    expect(run.status).toBe(201);
    expect(run.body.summary).toMatchObject({
      matched: 1,
      missingInLedger: 0,
      missingAtProvider: 0,
      amountMismatch: 0,
    });
  }, 300_000);
});
