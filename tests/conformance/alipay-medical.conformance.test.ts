/**
 * Alipay's medical products as medpay calls them, against the SDK's models (alipay/alipay-sdk-java-all v2
 * domain/ and response/, not the sandbox): a receiver plays the gateway with node:crypto RSA2, records each
 * call and answers with fields named as the response classes name them.
 *   M1 alipay.system.oauth.token: grant_type=authorization_code and code as top-level parameters (the
 *      published request parameters; no biz_content).
 *   M2 alipay.commerce.medical.authinfo.auth.query: biz keys ⊆ AlipayCommerceMedicalAuthinfoAuthQueryModel;
 *      ol_biz_type_code 04107; the answer's `data` is MedicalNationalPayAuthInfo (pay_auth_no when
 *      auth_stas=1).
 *   M3 alipay.commerce.medical.trade.createandpay: biz keys ⊆ AlipayCommerceMedicalTradeCreateandpayModel,
 *      amounts as yuan strings; pay_url from AlipayCommerceMedicalTradeCreateandpayResponse.
 *   M4 alipay.commerce.medical.trade.query: AlipayCommerceMedicalTradeQueryResponse's amounts and numbers.
 *   M5 alipay.commerce.medical.trade.refund: biz keys ⊆ AlipayCommerceMedicalTradeRefundModel (self-pay).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alipayClient } from '../../lib/adapters/alipay/client';
import { alipayMedicalAuth } from '../../lib/adapters/alipay/medical-auth';
import { alipayMedicalOrders, ASSUMED_ALIPAY_MEDICAL } from '../../lib/adapters/alipay/medical-orders';
import { fen } from '../../lib/domain/money';
import { rsaKeyPair } from '../support/provider-keys';
import { alipayGatewayReceiver } from './support/alipay';

const AUTH_QUERY_MODEL = new Set(
  'alipay_user_id call_url extend_params ins_code ol_biz_type_code online_drug_chnl_app_id open_id org_app_id org_chnl_crtf_code org_code req_biz_no'.split(
    ' ',
  ),
);
const CREATEANDPAY_MODEL = new Set(
  'account_amount alipay_user_id callback_url ch_info chrg_bch_no display_mode extend_params gmt_out_create gmt_time_expire gov_amount industry insurance_pay_scene med_org_ord open_id order_type org_no other_amount out_trade_no pay_auth_no pay_order_id real_amount request_content result_notify_url shop_id store_id subject subsidy_amount_params total_amount'.split(
    ' ',
  ),
);
const REFUND_MODEL = new Set(
  'out_trade_no trade_no refund_amount refund_reason refund_request_no'.split(' '),
);
const YUAN = /^(0|[1-9]\d*)\.\d{2}$/;

const app = rsaKeyPair();
const alipay = rsaKeyPair();

describe('Alipay medical products, field by field (conformance)', () => {
  const answers: Record<string, Record<string, unknown>> = {
    'alipay.system.oauth.token': {
      code: '10000',
      msg: 'Success',
      user_id: '2088000000000001',
      access_token: 'AT1',
      expires_in: '3600',
    },
    'alipay.commerce.medical.authinfo.auth.query': {
      code: '10000',
      msg: 'Success',
      data: {
        auth_stas: '1',
        pay_auth_no: 'PAN1',
        insu_org: '440100',
        medical_card_id: 'MC1',
        medical_card_inst_id: 'NATHSA',
      },
    },
    'alipay.commerce.medical.trade.createandpay': {
      code: '10000',
      msg: 'Success',
      trade_no: 'T1',
      out_trade_no: 'MP1',
      pay_url: 'https://example/pay',
    },
    'alipay.commerce.medical.trade.query': {
      code: '10000',
      msg: 'Success',
      trade_no: 'T1',
      out_trade_no: 'MP1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '150.00',
      gov_amount: '75.00',
      other_amount: '5.00',
      account_amount: '10.00',
      real_amount: '60.00',
      pay_order_id: 'ORD1',
      gmt_own_paid: '2026-12-05 12:00:01',
    },
    'alipay.commerce.medical.trade.refund': {
      code: '10000',
      msg: 'Success',
      refund_status: 'REFUND_SUCCESS',
      refund_amount: '60.00',
      refund_request_no: 'RF1',
    },
  };
  let receiver: Awaited<ReturnType<typeof alipayGatewayReceiver>>;
  let gateway = '';
  beforeAll(async () => {
    receiver = await alipayGatewayReceiver(
      alipay.privateKey,
      (method) => answers[method] ?? { code: '40004' },
    );
    gateway = receiver.gateway;
  });
  afterAll(() => receiver.close());
  const client = () =>
    alipayClient({
      mode: 'public-key',
      appId: '2021000000000001',
      appPrivateKey: app.privateKey,
      alipayPublicKey: alipay.publicKey,
      gateway,
    });
  const call = (method: string) => receiver.calls.filter((c) => c.method === method).at(-1);

  it('M1, M2: the auth code is exchanged top-level, then the 04107 authorisation is queried with the user`s token', async () => {
    const auth = alipayMedicalAuth(client(), {
      orgCode: 'H1',
      orgChannelCode: 'C1',
      orgAppId: 'OA1',
      callUrl: 'https://h/back',
    });
    expect(await auth.exchange({ authCode: 'AC1', payerId: '2088000000000001' })).toEqual({
      payAuthNo: 'PAN1',
      insuredRegion: '440100',
      medicalCard: { id: 'MC1', instId: 'NATHSA' },
    });
    expect(call('alipay.system.oauth.token')?.params).toMatchObject({
      grant_type: 'authorization_code',
      code: 'AC1',
    });
    expect(call('alipay.system.oauth.token')?.params).not.toHaveProperty('biz_content');
    const query = call('alipay.commerce.medical.authinfo.auth.query');
    expect(Object.keys(query?.biz ?? {}).filter((k) => !AUTH_QUERY_MODEL.has(k))).toEqual([]);
    expect(query?.biz).toMatchObject({ ol_biz_type_code: '04107', org_app_id: 'OA1', org_code: 'H1' });
    expect(query?.params.auth_token).toBe('AT1');
  });

  it('M3, M4, M5: the medical trade`s fields are the models`; amounts are yuan; the query is read in fen', async () => {
    const orders = alipayMedicalOrders(client(), {
      orgNo: 'H1',
      returnUrl: 'https://h/back',
      notifyUrl: 'https://h/notify',
      ...ASSUMED_ALIPAY_MEDICAL,
    });
    const split = { fundFen: fen(8_000), personalAccountFen: fen(1_000), selfPayFen: fen(6_000) };
    const created = await orders.create({
      outTradeNo: 'MP1',
      description: '门诊缴费',
      purpose: 'examination',
      payer: { alipayUserId: '2088000000000001' },
      mixPayType: 'CASH_AND_INSURANCE',
      totalFen: fen(15_000),
      split,
      platform: {
        payAuthNo: 'PAN1',
        payOrdId: 'ORD1',
        medOrgOrd: 'MO1',
        chargeBatchNo: 'B1',
        location: '1,2',
        city: '440100',
        medicalCard: { id: 'MC1', instId: 'NATHSA' },
        createdAt: new Date(),
      },
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(created).toEqual({
      channelOrderNo: 'T1',
      clientParams: { payUrl: 'https://example/pay', tradeNo: 'T1' },
    });
    const biz = call('alipay.commerce.medical.trade.createandpay')?.biz ?? {};
    expect(Object.keys(biz).filter((k) => !CREATEANDPAY_MODEL.has(k))).toEqual([]);
    expect(biz).toMatchObject({
      total_amount: '150.00',
      gov_amount: '80.00',
      account_amount: '10.00',
      real_amount: '60.00',
      pay_order_id: 'ORD1',
      pay_auth_no: 'PAN1',
      med_org_ord: 'MO1',
      chrg_bch_no: 'B1',
      org_no: 'H1',
    });
    for (const k of ['total_amount', 'gov_amount', 'account_amount', 'other_amount', 'real_amount'])
      expect(biz[k]).toMatch(YUAN);

    // gov 75.00 + other 5.00 is the fund's part.
    expect(await orders.query('MP1')).toMatchObject({
      status: 'PAID',
      channelOrderNo: 'T1',
      totalFen: 15_000,
      split: { fundFen: 8_000, personalAccountFen: 1_000, selfPayFen: 6_000 },
      payOrdId: 'ORD1',
      cashTaken: true,
    });

    expect(
      await orders.refundCash({
        outTradeNo: 'MP1',
        outRefundNo: 'RF1',
        amountFen: fen(6_000),
        totalFen: fen(6_000),
        reason: '退费',
      }),
    ).toMatchObject({ status: 'SUCCEEDED' });
    const refund = call('alipay.commerce.medical.trade.refund')?.biz ?? {};
    expect(Object.keys(refund).filter((k) => !REFUND_MODEL.has(k))).toEqual([]);
    expect(refund).toMatchObject({ out_trade_no: 'MP1', refund_amount: '60.00', refund_request_no: 'RF1' });
  });
});
