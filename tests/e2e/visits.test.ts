import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lib/adapters/dynamodb/client';
import { dynamoLedgerStore } from '../../lib/adapters/dynamodb/ledger-store';
import { businessDayOf } from '../../lib/domain/business-day';
import { netOf as netOfPostings, type JournalTransaction } from '../../lib/domain/ledger/journal';
import {
  payerFor,
  postAlipayWebhook,
  signedAlipayForm,
  stackClient,
  startLocalStack,
  type LocalStack,
  type Stack,
} from '../support/local-stack';
import { hospitalKeys } from '../../lib/adapters/dynamodb/keys';

/** The hospital these records belong to (the default hospital of the test and bench configurations). */
const HOSPITAL = hospitalKeys('default');

type Json = Record<string, any>;

describe('pay-later visits over the local stack (API, sandbox credit + insurance platform, webhooks, DynamoDB Local)', () => {
  let local: LocalStack;
  let stack: Stack;
  let client: ReturnType<typeof stackClient>;
  beforeAll(async () => {
    local = await startLocalStack();
    stack = local.stack;
    client = stackClient(local);
  }, 180_000);
  afterAll(() => local?.stop());

  const api = (method: string, path: string, token: string, body?: unknown) =>
    client.api(method, path, token, body);
  const sandbox = (path: string, body?: unknown) => client.sandbox(path, body);
  const ledger = () =>
    dynamoLedgerStore(
      createDocumentClient({ region: 'cn-north-1', endpoint: stack.dynamodbUrl }),
      stack.tableName,
      HOSPITAL,
    );
  const journalOf = async (visitId: string) => {
    const out: JournalTransaction[] = [];
    for await (const t of ledger().journalForDay(businessDayOf(new Date())))
      if (t.refs.visitId === visitId) out.push(t);
    return out;
  };
  const net = (txns: JournalTransaction[], account: string) =>
    netOfPostings(txns.flatMap((t) => t.postings.filter((p) => p.account === account)));
  const patient = () => client.patient();

  async function openAndAuthorise(channel: string, token: string, insured = true) {
    const opened = await api('POST', '/visits', token, { channel, payer: payerFor(channel), insured });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'AWAITING_AUTHORISATION', creditLimitFen: 200_000 });
    const confirmed = await sandbox('/sandbox/authorise', {
      channel,
      outOrderNo: opened.body.outOrderNo,
      orderStr: opened.body.clientParams.orderStr,
    });
    expect(confirmed.notification.acknowledged).toBe(true);
    const visit = await api('GET', `/visits/${opened.body.visitId}`, token);
    expect(visit.body.status).toBe('OPEN');
    return opened.body as { visitId: string; outOrderNo: string; clientParams: Json };
  }

  describe.each(['alipay', 'wechatpay'] as const)('%s', (channel) => {
    it('open → authorise in the sandbox → three charges → over-limit refused → insurance → one settlement', async () => {
      const { sub, token } = await patient();
      const staff = stack.tokens.staff;
      const { visitId, outOrderNo } = await openAndAuthorise(channel, token);
      const charge = (chargeId: string, category: string, amountFen: number, listCode?: string) =>
        api('POST', `/visits/${visitId}/charges`, staff, {
          chargeId,
          category,
          description: chargeId,
          amountFen,
          ...(listCode ? { listing: { listCode, hospitalListCode: `H-${chargeId}` } } : {}),
        });

      expect((await charge('HIS-REG-1', 'registration', 2_000)).status).toBe(201); // not listed: self-pay
      expect((await charge('HIS-LAB-1', 'laboratory', 18_000, '250101001')).status).toBe(201);
      const third = await charge('HIS-RX-1', 'prescription', 45_000, 'XA01');
      expect(third).toMatchObject({ status: 201, body: { tabFen: 65_000, availableCreditFen: 135_000 } });
      // The same HIS line again is added once; with another amount it is refused.
      expect((await charge('HIS-RX-1', 'prescription', 45_000, 'XA01')).body.tabFen).toBe(65_000);
      expect((await charge('HIS-RX-1', 'prescription', 46_000)).body.error.code).toBe('CHARGE_ID_REUSED');
      const over = await charge('HIS-CT-1', 'examination', 150_000);
      expect(over).toMatchObject({
        status: 422,
        body: { error: { code: 'CREDIT_LIMIT_EXCEEDED', availableCreditFen: 135_000 } },
      });
      // Patients cannot add charges.
      expect(
        (
          await api('POST', `/visits/${visitId}/charges`, token, {
            chargeId: 'X',
            category: 'other',
            description: 'x',
            amountFen: 1,
          })
        ).status,
      ).toBe(403);

      // The patient authorises medical insurance in the wallet and hands the code to medpay.
      const authorise = async () =>
        (
          await sandbox('/sandbox/medical-insurance/authorise', {
            channel,
            payerId: Object.values(payerFor(channel))[0],
          })
        ).authCode as string;
      const preauthorisations = `/visits/${visitId}/insurance/preauthorisations`;
      const authCode = await authorise();
      expect((await api('POST', preauthorisations, token, {})).status).toBe(400);
      const hold = await api('POST', preauthorisations, token, { authCode, location: '113.26,23.12' });
      expect(hold.status).toBe(201);
      // Sandbox platform: service items 80 %, western drugs 70 %; a fresh patient's ¥100 personal account.
      expect(hold.body).toMatchObject({
        insuredFen: 14_400 + 31_500,
        personalAccountFen: 10_000,
        selfPayFen: 65_000 - 45_900 - 10_000,
      });
      // The same tab again answers the same hold; another patient's call is not theirs to make.
      expect((await api('POST', preauthorisations, staff, { authCode: await authorise() })).body).toEqual(
        hold.body,
      );
      expect(
        (await api('POST', preauthorisations, (await patient()).token, { authCode: await authorise() }))
          .status,
      ).toBe(404);
      const shown = await api('GET', `/visits/${visitId}`, token);
      expect(shown.body.insurance).toMatchObject({
        preauthId: hold.body.preauthId,
        status: 'HELD',
        tabVersion: 3,
      });
      expect(shown.body.insurance).not.toHaveProperty('payToken');
      expect(shown.body.charges[1]).toMatchObject({ listing: { listCode: '250101001', quantity: '1' } });
      const { insuredFen, personalAccountFen, selfPayFen } = hold.body as {
        insuredFen: number;
        personalAccountFen: number;
        selfPayFen: number;
      };

      const settle = await api('POST', `/visits/${visitId}/settle`, token, {});
      expect([200, 202]).toContain(settle.status);
      let visit = await api('GET', `/visits/${visitId}`, token);
      for (let i = 0; i < 100 && visit.body.status !== 'SETTLED'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        visit = await api('GET', `/visits/${visitId}`, token);
      }
      expect(visit.body.status).toBe('SETTLED');
      expect(visit.body.settlement).toMatchObject({
        insuredFen,
        personalAccountFen,
        selfPayFen,
        capturedFen: selfPayFen,
        releasedFen: 200_000 - selfPayFen,
      });
      // Settling twice: the same result and still one capture.
      const again = await api('POST', `/visits/${visitId}/settle`, token, {});
      expect(again).toMatchObject({ status: 200, body: { status: 'SETTLED', capturedFen: selfPayFen } });
      const book = await sandbox('/sandbox/authorisations');
      expect(book.captures.filter((c: Json) => c.outOrderNo === outOrderNo)).toEqual([
        expect.objectContaining({ amountFen: selfPayFen }),
      ]);
      if (channel === 'alipay')
        expect(book.alipay.find((f: Json) => f.outOrderNo === outOrderNo)).toMatchObject({
          status: 'FINISH',
          payFen: selfPayFen,
          unfreezeFen: 200_000 - selfPayFen,
        });
      else
        expect(book.wechatpay.find((o: Json) => o.outOrderNo === outOrderNo)).toMatchObject({
          state: 'DONE',
          totalFen: selfPayFen,
        });

      // The ledger: every transaction balanced, the patient owes nothing, the fund and the personal
      // account owe their parts.
      const journal = await journalOf(visitId);
      for (const t of journal) expect(netOfPostings(t.postings)).toBe(0);
      expect((await ledger().balanceOf(`patient:${sub}:receivable` as never)).netFen).toBe(0);
      expect(net(journal, 'insurance:fund:receivable')).toBe(insuredFen);
      expect(net(journal, 'insurance:personal-account:receivable')).toBe(personalAccountFen);
      expect(net(journal, `channel:${channel}:clearing`)).toBe(selfPayFen);
      // A charge on a settled visit is refused.
      expect((await charge('HIS-LATE-1', 'other', 100)).body.error.code).toBe('INVALID_STATE');
    });
  });

  it('edges: uninsured pre-authorisation, cancelling with charges, another patient, one open visit, orphan', async () => {
    const { token } = await patient();
    const staff = stack.tokens.staff;
    const { visitId } = await openAndAuthorise('alipay', token, false);
    const second = await api('POST', '/visits', token, {
      channel: 'alipay',
      payer: payerFor('alipay'),
      insured: false,
    });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'INVALID_STATE' } } });
    expect((await api('GET', `/visits/${visitId}`, (await patient()).token)).status).toBe(404);
    await api('POST', `/visits/${visitId}/charges`, staff, {
      chargeId: 'L1',
      category: 'laboratory',
      description: 'l',
      amountFen: 1_000,
    });
    const preauth = await api('POST', `/visits/${visitId}/insurance/preauthorisations`, staff, {
      authCode: 'AC-unused',
    });
    expect(preauth).toMatchObject({ status: 409, body: { error: { code: 'INVALID_STATE' } } });
    expect((await api('POST', `/visits/${visitId}/cancel`, token)).status).toBe(409);
    expect((await api('DELETE', `/visits/${visitId}/charges/L1`, staff)).body.tabFen).toBe(0);
    const cancelled = await api('POST', `/visits/${visitId}/cancel`, token);
    expect(cancelled).toMatchObject({
      status: 200,
      body: { status: 'CANCELLED', authorisationReleased: true },
    });
    const asSelfPay = await api('POST', `/visits/${visitId}/settle`, token, { asSelfPay: true });
    expect(asSelfPay.status).toBe(403); // only staff may settle as self-pay
    expect((await api('POST', `/visits/${visitId}/settle`, staff, {})).status).toBe(409);

    // A correctly signed freeze notification for an authorisation we never created: acknowledged, not applied.
    const params: Record<string, string> = {
      notify_id: randomUUID(),
      notify_time: '2026-11-24 10:00:02',
      notify_type: 'fund_auth_freeze',
      app_id: stack.alipay.appId,
      payee_user_id: stack.alipay.sellerId,
      auth_no: '2026112410002001000000000001',
      out_order_no: 'VAneverCreated0001',
      out_request_no: 'VFneverCreated0001',
      operation_id: '20261124000000001',
      operation_type: 'FREEZE',
      amount: '2000.00',
      status: 'SUCCESS',
      gmt_trans: '2026-11-24 10:00:01',
    };
    const post = (body: string) => postAlipayWebhook(stack, body);
    const valid = signedAlipayForm(stack, params);
    expect(await (await post(valid)).text()).toBe('success');
    expect(await (await post(valid.replace('amount=2000.00', 'amount=1.00'))).text()).toBe('fail');
  });
});
