/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- request bodies are untyped JSON on the wire, checked field by field */
/**
 * The wallets' medical-insurance products as the sandbox plays them, in front of the insurance platform
 * simulator: the authorisation exchanges (Alipay's alipay.system.oauth.token +
 * alipay.commerce.medical.authinfo.auth.query, from the SDK's models; WeChat's stand-in, since Tencent's is
 * not published) and WeChat's 医保 2.0 mixed orders for charges (/v3/med-ins/orders with the published
 * mix_pay_type rules, amount identity and error codes of wechatpay-skills W1/W3/W5, the password step, one
 * MEDICAL_INSURANCE.SUCCESS retried for 30 s at most, and the refund notice). Never deployed.
 */
import { createHash } from 'node:crypto';
import { MED_INS_RETRY_SEC, isSubMerchant, type Books, type Order } from './books';
import type { InsurancePlatform, PlatformOrder } from './insurance-platform';
import { alipayTime, wechatDecryptSensitive, wechatTime } from './signing';
import { formatYuan, parseYuan, type Fen } from '../lib/domain/money';

/** The WeChat Pay notification builder of the sandbox's WeChat surface. */
export type WechatNotification = (
  eventType: string,
  resource: object,
  url: string,
  tamper?: 'probe',
  kind?: string,
  summary?: string,
) => () => { url: string; body: string; headers: Record<string, string> };

/** A mixed order as WeChat keeps it. */
export interface MixOrder {
  mixTradeNo: string;
  outTradeNo: string;
  request: Record<string, any>;
  mixPayStatus: 'MIX_PAY_CREATED' | 'MIX_PAY_SUCCESS' | 'MIX_PAY_FAIL' | 'MIX_PAY_REFUND';
  selfPayStatus: string;
  medInsPayStatus: string;
  paidTime?: Date;
  refundNotices: Array<Record<string, any>>;
}

/** An Alipay medical trade (alipay.commerce.medical.trade.*). */
export interface MedicalTrade {
  tradeNo: string;
  outTradeNo: string;
  request: Record<string, any>;
  tradeStatus: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  /** Partner mode: the merchant app whose app_auth_token made it (only that merchant finds it). */
  authAppId?: string;
  medicalPaidAt?: Date;
  ownPaidAt?: Date;
  refunds: Array<{ refundRequestNo: string; amountFen: number; at: Date }>;
}

const MIX_PAY_TYPES = ['CASH_ONLY', 'INSURANCE_ONLY', 'CASH_AND_INSURANCE'];
const ORDER_TYPES = [
  'REG_PAY',
  'DIAG_PAY',
  'IN_HOSP_PAY',
  'PHARMACY_PAY',
  'INSURANCE_PAY',
  'INT_REG_PAY',
  'INT_RE_DIAG_PAY',
  'INT_RX_PAY',
  'MED_PAY',
  'COVID_EXAM_PAY',
  'COVID_ANTIGEN_PAY',
];
/** cash_add_type and cash_reduce_type (W1 §4 enum tables; W3 CashAddType, CashReduceType). */
const CASH_ADD_TYPES = ['DEFAULT_ADD_TYPE', 'FREIGHT', 'OTHER_MEDICAL_EXPENSES'];
const CASH_REDUCE_TYPES = [
  'DEFAULT_REDUCE_TYPE',
  'HOSPITAL_REDUCE',
  'PHARMACY_DISCOUNT',
  'DISCOUNT',
  'PRE_PAYMENT',
  'DEPOSIT_DEDUCTION',
];
/** Fields a CASH_ONLY order must not carry (W1 §4). */
const INSURANCE_FIELDS = ['pay_order_id', 'pay_auth_no', 'geo_location', 'med_ins_order_create_time'];

type AlipayReply = (obj: Record<string, unknown>) => string;
type AlipayFail = (code: string, msg: string, sub_code: string, sub_msg: string) => string;

/** What the medical products take from the rest of the sandbox. */
export interface MedicalContext {
  readonly books: Books;
  readonly wechatNotification: WechatNotification;
  /** The TRANSACTION resource of a WeChat Pay order as its mode names it (direct or partner). */
  readonly wechatTransaction: (o: Order) => object;
}

/** The medical products over the platform. */
export function medicalSimulator(
  platform: InsurancePlatform,
  { books, wechatNotification, wechatTransaction }: MedicalContext,
) {
  const { options, orders, refunds, settings, key, id, markPaid, notify } = books;
  const mixOrders = new Map<string, MixOrder>();
  const medicalTrades = new Map<string, MedicalTrade>();
  const tradeByOut = (no: string) => [...medicalTrades.values()].find((t) => t.outTradeNo === no);
  const byOutTradeNo = (no: string) => [...mixOrders.values()].find((o) => o.outTradeNo === no);
  /** WeChat's error body; the guide's numeric codes (W5) lead the message. */
  const fail = (status: number, code: string, message: string) => ({ status, body: { code, message } });
  /** Access tokens Alipay issued for authorisations (alipay.system.oauth.token). */
  const tokens = new Map<string, string>();

  /**
   * Handles the Alipay medical methods; undefined for others. `actingFor` is the merchant app the call's
   * app_auth_token names: its trades are its own.
   */
  function alipayMethod(
    method: string,
    params: Readonly<Record<string, string>>,
    biz: Record<string, any>,
    reply: AlipayReply,
    fail: AlipayFail,
    actingFor?: string,
  ): string | undefined {
    /** The merchant's own trade by trade_no or out_trade_no. */
    const ownTrade = () => {
      const t = biz.trade_no ? medicalTrades.get(String(biz.trade_no)) : tradeByOut(String(biz.out_trade_no));
      return t && t.authAppId === actingFor ? t : undefined;
    };
    switch (method) {
      case 'alipay.system.oauth.token': {
        if (params.grant_type !== 'authorization_code')
          return fail('40002', 'Invalid Arguments', 'isv.grant-type-invalid', 'grant_type参数不正确');
        const a = platform.exchange(params.code ?? '');
        if (typeof a === 'string')
          return fail(
            '40002',
            'Invalid Arguments',
            'isv.code-invalid',
            '授权码(auth_code) 错误、状态不对或过期',
          );
        const accessToken = `AT${a.authCode}`;
        tokens.set(accessToken, a.authCode);
        return reply({
          code: '10000',
          msg: 'Success',
          user_id: a.payerId || '2088102122524333',
          access_token: accessToken,
          expires_in: '3600',
          refresh_token: `RT${a.authCode}`,
          re_expires_in: '3600',
        });
      }
      case 'alipay.commerce.medical.authinfo.auth.query': {
        const a = platform.authorisations.get(tokens.get(params.auth_token ?? '') ?? '');
        if (!a) return fail('40004', 'Business Failed', 'INVALID_AUTH_TOKEN', '用户授权令牌无效');
        if (biz.ol_biz_type_code !== '04107' || !biz.org_app_id)
          return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'ol_biz_type_code/org_app_id');
        return reply({
          code: '10000',
          msg: 'Success',
          data: {
            auth_no: a.authCode,
            auth_stas: '1',
            insu_org: a.insuredRegion,
            medical_card_id: `MC${a.psnNo}`,
            medical_card_inst_id: 'NATHSA',
            pay_auth_no: a.payAuthNo,
            rels_pay_flag: '0',
            req_biz_no: biz.req_biz_no,
          },
        });
      }
      case 'alipay.commerce.medical.trade.createandpay':
        return alipayCreate(biz, reply, fail, actingFor);
      case 'alipay.commerce.medical.trade.query': {
        const t = ownTrade();
        if (!t) return fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
        return reply({ code: '10000', msg: 'Success', ...tradeView(t) });
      }
      case 'alipay.commerce.medical.trade.refund':
        return alipayRefund(ownTrade(), biz, reply, fail);
      default:
        return undefined;
    }
  }

  /** The trade as alipay.commerce.medical.trade.query answers it (AlipayCommerceMedicalTradeQueryResponse). */
  function tradeView(t: MedicalTrade) {
    const r = t.request;
    const refunded = t.refunds.reduce((n, x) => n + x.amountFen, 0);
    return {
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      trade_status: t.tradeStatus,
      total_amount: r.total_amount,
      gov_amount: r.gov_amount,
      account_amount: r.account_amount,
      other_amount: r.other_amount ?? '0.00',
      real_amount: r.real_amount,
      ...(r.pay_order_id
        ? { pay_order_id: r.pay_order_id, med_org_ord: r.med_org_ord, chrg_bch_no: r.chrg_bch_no }
        : {}),
      org_no: r.org_no,
      ...(t.medicalPaidAt
        ? { gmt_medical_paid: alipayTime(t.medicalPaidAt), medical_pay_status: 'PAID' }
        : {}),
      ...(t.ownPaidAt ? { gmt_own_paid: alipayTime(t.ownPaidAt), own_pay_status: 'PAID' } : {}),
      ...(refunded > 0 ? { refund_amount: formatYuan(refunded as Fen) } : {}),
    };
  }

  /** alipay.commerce.medical.trade.createandpay: the parts must add up and match the platform's order. */
  function alipayCreate(
    biz: Record<string, any>,
    reply: AlipayReply,
    fail: AlipayFail,
    actingFor: string | undefined,
  ) {
    let parts: { total: number; gov: number; account: number; other: number; real: number };
    try {
      parts = {
        total: parseYuan(String(biz.total_amount), 'total_amount'),
        gov: parseYuan(String(biz.gov_amount ?? '0'), 'gov_amount'),
        account: parseYuan(String(biz.account_amount ?? '0'), 'account_amount'),
        other: parseYuan(String(biz.other_amount ?? '0'), 'other_amount'),
        real: parseYuan(String(biz.real_amount ?? '0'), 'real_amount'),
      };
    } catch {
      return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', '金额格式错误');
    }
    if (!biz.out_trade_no || !(biz.alipay_user_id || biz.open_id) || !biz.subject)
      return fail('40002', 'Invalid Arguments', 'isv.missing-parameter', '缺少参数');
    if (parts.gov + parts.account + parts.other + parts.real !== parts.total)
      return fail('40004', 'Business Failed', 'AMOUNT_NOT_MATCH', '订单金额不一致');
    const existing = tradeByOut(String(biz.out_trade_no));
    if (existing) {
      if (
        existing.authAppId !== actingFor ||
        existing.request.total_amount !== biz.total_amount ||
        existing.request.pay_order_id !== biz.pay_order_id
      )
        return fail('40004', 'Business Failed', 'ACQ.TRADE_HAS_EXIST', '交易已存在');
      return reply({
        code: '10000',
        msg: 'Success',
        trade_no: existing.tradeNo,
        out_trade_no: existing.outTradeNo,
        pay_url: payUrl(existing),
      });
    }
    if (parts.gov + parts.account + parts.other > 0) {
      const o = platform.orders.get(String(biz.pay_order_id ?? ''));
      const auth = platform.byPayAuthNo(String(biz.pay_auth_no ?? ''));
      if (!o || !auth || o.payAuthNo !== biz.pay_auth_no || auth.expiresAt <= new Date())
        return fail('40004', 'Business Failed', 'PAY_AUTH_NO_INVALID', '医保支付授权无效');
      if (
        o.status !== 'UPLOADED' ||
        o.fundFen !== parts.gov + parts.other ||
        o.personalAccountFen !== parts.account ||
        o.selfPayFen !== parts.real
      )
        return fail('40004', 'Business Failed', 'MEDICAL_AMOUNT_NOT_MATCH', '与医保预结算金额不一致');
    }
    const t: MedicalTrade = {
      tradeNo: id('2026', 24),
      outTradeNo: String(biz.out_trade_no),
      request: biz,
      tradeStatus: 'WAIT_BUYER_PAY',
      refunds: [],
      ...(actingFor ? { authAppId: actingFor } : {}),
    };
    medicalTrades.set(t.tradeNo, t);
    if (parts.real > 0)
      orders.set(key('alipay', t.outTradeNo), {
        channel: 'alipay',
        outTradeNo: t.outTradeNo,
        amountFen: parts.real as Fen,
        description: String(biz.subject),
        status: 'PENDING',
        providerTradeNo: t.tradeNo,
        notifyUrl: '',
        payer: String(biz.alipay_user_id ?? biz.open_id),
        refundedFen: 0,
        createdAt: new Date(),
        ...(actingFor ? { authAppId: actingFor } : {}),
      });
    return reply({
      code: '10000',
      msg: 'Success',
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      pay_url: payUrl(t),
    });
  }

  const payUrl = (t: MedicalTrade) => `${books.baseUrl()}/sandbox?medicalTrade=${t.tradeNo}`;

  /** alipay.commerce.medical.trade.refund: the self-pay part only, refund_request_no unique per refund. */
  function alipayRefund(
    t: MedicalTrade | undefined,
    biz: Record<string, any>,
    reply: AlipayReply,
    fail: AlipayFail,
  ) {
    if (!t) return fail('40004', 'Business Failed', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    const repeat = t.refunds.find((r) => r.refundRequestNo === biz.refund_request_no);
    const answer = (r: { refundRequestNo: string; amountFen: number; at: Date }) =>
      reply({
        code: '10000',
        msg: 'Success',
        refund_status: 'REFUND_SUCCESS',
        refund_amount: formatYuan(r.amountFen as Fen),
        refund_time: alipayTime(r.at),
        refund_request_no: r.refundRequestNo,
      });
    if (repeat) return answer(repeat);
    if (t.tradeStatus !== 'TRADE_SUCCESS')
      return fail('40004', 'Business Failed', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    let amount: number;
    try {
      amount = parseYuan(String(biz.refund_amount), 'refund_amount');
    } catch {
      return fail('40002', 'Invalid Arguments', 'isv.invalid-parameter', 'refund_amount 格式错误');
    }
    const real = parseYuan(String(t.request.real_amount ?? '0'));
    if (
      !biz.refund_request_no ||
      amount <= 0 ||
      t.refunds.reduce((n, r) => n + r.amountFen, 0) + amount > real
    )
      return fail('40004', 'Business Failed', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    const r = { refundRequestNo: String(biz.refund_request_no), amountFen: amount, at: new Date() };
    t.refunds.push(r);
    const cash = orders.get(key('alipay', t.outTradeNo));
    if (cash) cash.refundedFen += amount;
    return answer(r);
  }

  /** WeChat's exchange, a stand-in (Tencent's is not published): qrCode + openId → payAuthNo. */
  function wechatExchange(body: { qrCode?: string; openId?: string }): { status: number; body: object } {
    const a = platform.exchange(String(body.qrCode ?? ''));
    if (typeof a === 'string') return { status: 400, body: { code: `AUTH_CODE_${a}` } };
    if (a.payerId && a.payerId !== body.openId)
      return { status: 400, body: { code: 'AUTH_CODE_OTHER_USER' } };
    const [longitude, latitude] = a.location.split(',');
    return {
      status: 200,
      body: {
        payAuthNo: a.payAuthNo,
        cityId: a.insuredRegion,
        userLongitudeLatitude: { longitude, latitude },
      },
    };
  }

  /** The order as WeChat answers it (W3 OrderEntity). */
  const view = (o: MixOrder) => ({
    ...o.request,
    mix_trade_no: o.mixTradeNo,
    mix_pay_status: o.mixPayStatus,
    self_pay_status: o.selfPayStatus,
    med_ins_pay_status: o.medInsPayStatus,
    ...(o.paidTime ? { paid_time: wechatTime(o.paidTime) } : {}),
  });

  /** A field encrypted for WeChat Pay, opened with the platform keys. */
  const decrypt = (cipher: unknown) =>
    wechatDecryptSensitive(cipher, [
      options.wechatpay.publicKey.privateKey,
      options.wechatpay.certificate.privateKey,
    ]);

  /** POST /v3/med-ins/orders for a charge (the platform's order, or cash only). */
  function create(req: Record<string, any>) {
    const w = options.wechatpay;
    const type = req.mix_pay_type;
    if (!MIX_PAY_TYPES.includes(type) || !ORDER_TYPES.includes(req.order_type))
      return fail(400, 'PARAM_ERROR', '268435461 mix_pay_type 或 order_type 不合法');
    if (req.appid !== w.appId || !(req.openid ?? req.sub_openid) || !req.out_trade_no || !req.callback_url)
      return fail(400, 'PARAM_ERROR', '268435461 appid、openid、out_trade_no、callback_url 必填');
    // Partner mode (W8, W9): the service provider's appid, the sub-merchant it acts for (which must have
    // authorised it, B4 268443701), and a sub_openid only under sub_appid (W5 268510604).
    if (req.sub_mchid !== undefined && !isSubMerchant(w, req.sub_mchid))
      return fail(400, 'INVALID_REQUEST', '268443701 受理关系不存在');
    if (req.sub_openid !== undefined && (!req.sub_appid || req.sub_mchid === undefined))
      return fail(400, 'PARAM_ERROR', '268510604 sub_appid 与 sub_openid 不匹配');
    const amounts = [
      'total_fee',
      'med_ins_gov_fee',
      'med_ins_self_fee',
      'med_ins_other_fee',
      'med_ins_cash_fee',
      'wechat_pay_cash_fee',
    ];
    if (!amounts.every((k) => Number.isSafeInteger(req[k]) && req[k] >= 0))
      return fail(400, 'PARAM_ERROR', '268529481 混合单金额不正确');
    const sum = (list: unknown, k: string) =>
      (Array.isArray(list) ? list : []).reduce((n: number, e: any) => n + Number(e?.[k] ?? 0), 0);
    /** Every entry of a detail list has an integer amount ≥ 0 and a published type (W1 §4, W3). */
    const detailOk = (list: unknown, fee: string, type: string, types: string[]) =>
      list === undefined ||
      (Array.isArray(list) &&
        list.every((e: any) => Number.isSafeInteger(e?.[fee]) && e[fee] >= 0 && types.includes(e?.[type])));
    if (
      !detailOk(req.cash_add_detail, 'cash_add_fee', 'cash_add_type', CASH_ADD_TYPES) ||
      !detailOk(req.cash_reduce_detail, 'cash_reduce_fee', 'cash_reduce_type', CASH_REDUCE_TYPES)
    )
      return fail(400, 'PARAM_ERROR', '268435461 cash_add_detail 或 cash_reduce_detail 不合法');
    const add = sum(req.cash_add_detail, 'cash_add_fee');
    const reduce = sum(req.cash_reduce_detail, 'cash_reduce_fee');
    const medIns = req.med_ins_gov_fee + req.med_ins_self_fee + req.med_ins_other_fee;
    if (
      req.total_fee !== medIns + req.wechat_pay_cash_fee + reduce ||
      req.total_fee !== medIns + req.med_ins_cash_fee + add
    )
      return fail(400, 'PARAM_ERROR', '268529477 订单总金额校验不通过');
    if (req.wechat_pay_cash_fee !== req.med_ins_cash_fee + add - reduce)
      return fail(400, 'PARAM_ERROR', '268529476 自费金额校验不通过');
    if (
      type === 'CASH_ONLY' &&
      (medIns !== 0 ||
        req.wechat_pay_cash_fee <= 0 ||
        !req.prepay_id ||
        INSURANCE_FIELDS.some((k) => k in req))
    )
      return fail(400, 'PARAM_ERROR', '268529474 CASH_ONLY 不能含医保字段');
    if (type === 'INSURANCE_ONLY' && (req.wechat_pay_cash_fee !== 0 || 'prepay_id' in req))
      return fail(400, 'PARAM_ERROR', '268529475 INSURANCE_ONLY 不能含自费字段');
    if (type === 'CASH_AND_INSURANCE' && req.wechat_pay_cash_fee > 0 !== Boolean(req.prepay_id))
      return fail(400, 'PARAM_ERROR', '268529475 自费金额与 prepay_id 不匹配');
    const existing = byOutTradeNo(String(req.out_trade_no));
    if (existing) {
      if (existing.request.total_fee === req.total_fee && existing.request.pay_order_id === req.pay_order_id)
        return { status: 200, body: view(existing) };
      return fail(400, 'ALREADY_EXISTS', '268512536 订单已存在');
    }
    let platformOrder: PlatformOrder | undefined;
    if (type !== 'CASH_ONLY') {
      if (INSURANCE_FIELDS.some((k) => !req[k])) return fail(400, 'PARAM_ERROR', '268435461 医保字段必填');
      platformOrder = platform.orders.get(String(req.pay_order_id));
      const auth = platform.byPayAuthNo(String(req.pay_auth_no));
      if (
        !platformOrder ||
        !auth ||
        platformOrder.payAuthNo !== req.pay_auth_no ||
        auth.expiresAt <= new Date()
      )
        return fail(400, 'PARAM_ERROR', '268547120 PAY_AUTH_NO 校验失败');
      let through: any;
      try {
        through = JSON.parse(String(req.passthrough_request_content ?? '{}'));
      } catch {
        through = {};
      }
      if (!through.payAuthNo || !through.payOrdId || !through.setlLatlnt)
        return fail(400, 'PARAM_ERROR', '268545967 未找到对应授权信息');
      if (
        platformOrder.status !== 'UPLOADED' ||
        platformOrder.fundFen !== req.med_ins_gov_fee + req.med_ins_other_fee ||
        platformOrder.personalAccountFen !== req.med_ins_self_fee ||
        platformOrder.selfPayFen !== req.med_ins_cash_fee
      )
        return fail(400, 'PARAM_ERROR', '268510610 医保局结算校验失败');
      if (req.payer) {
        const digest = decrypt(req.payer.id_digest);
        const expected = auth.idNumber
          ? createHash('md5').update(auth.idNumber.toUpperCase()).digest('hex')
          : digest;
        if (!digest || !/^[0-9a-f]{32}$/.test(digest) || digest !== expected)
          return fail(400, 'PARAM_ERROR', '268545961 身份摘要不符');
        if (decrypt(req.payer.name) !== auth.name) return fail(400, 'PARAM_ERROR', '268545962 姓名不符');
      }
    }
    if (req.prepay_id) {
      const cash = orders.get(key('wechatpay', String(req.out_trade_no)));
      if (
        !cash ||
        `wx${cash.providerTradeNo}` !== req.prepay_id ||
        cash.amountFen !== req.wechat_pay_cash_fee ||
        cash.subMchId !== req.sub_mchid
      )
        return fail(400, 'PARAM_ERROR', '自费 prepay_id 与订单不符');
    }
    const o: MixOrder = {
      mixTradeNo: id('MIX'),
      outTradeNo: String(req.out_trade_no),
      request: req,
      mixPayStatus: 'MIX_PAY_CREATED',
      selfPayStatus: req.wechat_pay_cash_fee > 0 ? 'SELF_PAY_CREATED' : 'NO_SELF_PAY',
      medInsPayStatus: type === 'CASH_ONLY' ? 'NO_MED_INS_PAY' : 'MED_INS_PAY_CREATED',
      refundNotices: [],
    };
    mixOrders.set(o.mixTradeNo, o);
    return { status: 200, body: view(o) };
  }

  /**
   * The patient enters the 医保电子凭证 password once: the platform settles the insured part, WeChat takes
   * the cash (its TRANSACTION.SUCCESS goes to notify_url), and MEDICAL_INSURANCE.SUCCESS goes to callback_url
   * once, retried for 30 s at most (W4).
   */
  async function pay(outTradeNo: string) {
    const trade = tradeByOut(outTradeNo);
    if (trade) return alipayPay(trade);
    const o = byOutTradeNo(outTradeNo);
    if (!o) return { status: 404, body: { error: 'no such mixed order' } };
    if (o.mixPayStatus !== 'MIX_PAY_CREATED') return { status: 409, body: { error: o.mixPayStatus } };
    const platformOrder = platform.orders.get(String(o.request.pay_order_id ?? ''));
    if (platformOrder) platform.settle(platformOrder);
    const cash = orders.get(key('wechatpay', outTradeNo));
    if (cash && markPaid(cash) && settings.notifications)
      void notify(
        'wechatpay',
        'TRANSACTION.SUCCESS',
        outTradeNo,
        wechatNotification('TRANSACTION.SUCCESS', wechatTransaction(cash), cash.notifyUrl),
      );
    o.mixPayStatus = 'MIX_PAY_SUCCESS';
    o.selfPayStatus = cash ? 'SELF_PAY_SUCCESS' : 'NO_SELF_PAY';
    o.medInsPayStatus = platformOrder ? 'MED_INS_PAY_SUCCESS' : 'NO_MED_INS_PAY';
    o.paidTime = new Date();
    if (!settings.notifications || !settings.medicalCallbacks)
      return { status: 200, body: { ...view(o), notified: false } };
    const record = await notify(
      'wechatpay',
      'MEDICAL_INSURANCE.SUCCESS',
      outTradeNo,
      wechatNotification(
        'MEDICAL_INSURANCE.SUCCESS',
        view(o),
        String(o.request.callback_url),
        undefined,
        'medical_insurance',
        '医保混合收款成功',
      ),
      0,
      false,
      MED_INS_RETRY_SEC,
    );
    return { status: 200, body: { ...view(o), notified: true, responseStatus: record.responseStatus } };
  }

  /**
   * The patient pays at pay_url: the platform settles the insured part and Alipay takes the cash. Alipay's
   * result_notify_url payload is not published, so nothing is posted: medpay learns it by query.
   */
  function alipayPay(t: MedicalTrade) {
    if (t.tradeStatus !== 'WAIT_BUYER_PAY') return { status: 409, body: { error: t.tradeStatus } };
    const platformOrder = platform.orders.get(String(t.request.pay_order_id ?? ''));
    if (platformOrder) platform.settle(platformOrder);
    const cash = orders.get(key('alipay', t.outTradeNo));
    if (cash) markPaid(cash);
    t.tradeStatus = 'TRADE_SUCCESS';
    t.medicalPaidAt = platformOrder ? new Date() : undefined;
    t.ownPaidAt = cash ? new Date() : undefined;
    return { status: 200, body: { ...tradeView(t), notified: false } };
  }

  /**
   * The mixed order fails after the password (the 医保局 refused, W5 268510610): MIX_PAY_FAIL, and with
   * `cashTaken` the self-pay part was taken anyway (W5 §2.8 C: SELF_PAY_SUCCESS under MIX_PAY_FAIL).
   */
  function failMixed(outTradeNo: string, cashTaken: boolean) {
    const o = byOutTradeNo(outTradeNo);
    if (!o || o.mixPayStatus !== 'MIX_PAY_CREATED') return false;
    const cash = orders.get(key('wechatpay', outTradeNo));
    if (cashTaken && cash) markPaid(cash);
    o.mixPayStatus = 'MIX_PAY_FAIL';
    o.medInsPayStatus = o.medInsPayStatus === 'NO_MED_INS_PAY' ? o.medInsPayStatus : 'MED_INS_PAY_FAIL';
    o.selfPayStatus = cashTaken && cash ? 'SELF_PAY_SUCCESS' : o.selfPayStatus;
    return true;
  }

  /** POST /v3/med-ins/refunds/notify: after the cash refund with the same out_refund_no (W1 §7, W7). */
  function refundNotice(mixTradeNo: string, req: Record<string, any>): { status: number; body?: object } {
    const o = mixOrders.get(mixTradeNo);
    // A partner order's refund notice names its sub_mchid (W7, I2).
    if (!o || o.request.sub_mchid !== req.sub_mchid) return fail(404, 'NOT_FOUND', '268529515 未找到订单');
    // W1/W7 spell the keys with one underscore, I2 with two: both are accepted (PROTOCOLS §1.6).
    const field = (k: string): unknown => req[`med_refund_${k}`] ?? req[`med_refund__${k}`];
    const r = o.request;
    if (
      field('gov_fee') !== r.med_ins_gov_fee ||
      field('self_fee') !== r.med_ins_self_fee ||
      (field('other_fee') ?? 0) !== r.med_ins_other_fee ||
      !req.out_refund_no ||
      !req.refund_time
    )
      return fail(400, 'PARAM_ERROR', '医保退款金额与订单不符');
    if (r.wechat_pay_cash_fee > 0) {
      const cashRefund = refunds.get(key('wechatpay', String(req.out_refund_no)));
      if (!cashRefund || cashRefund.outTradeNo !== o.outTradeNo)
        return fail(400, 'PARAM_ERROR', '先调用自费退款，再用相同 out_refund_no 通知医保退款');
    }
    o.refundNotices.push(req); // WeChat keeps the latest (W5 §2.5 #3-4)
    o.mixPayStatus = 'MIX_PAY_REFUND';
    o.medInsPayStatus = o.medInsPayStatus === 'NO_MED_INS_PAY' ? o.medInsPayStatus : 'MED_INS_PAY_REFUND';
    if (r.wechat_pay_cash_fee > 0) o.selfPayStatus = 'SELF_PAY_REFUND';
    return { status: 204 };
  }

  /** Handles the charge-side /v3/med-ins/* calls; undefined for the visits' deposit-deducted orders. */
  function wechatRoute(
    method: string,
    path: string,
    url: URL,
    req: Record<string, any>,
  ): { status: number; body?: object } | undefined {
    if (path === '/v3/med-ins/orders' && method === 'POST') {
      const forCharge =
        req.mix_pay_type === 'CASH_ONLY' ||
        platform.orders.has(String(req.pay_order_id)) ||
        byOutTradeNo(String(req.out_trade_no));
      return forCharge ? create(req) : undefined;
    }
    const byOut = /^\/v3\/med-ins\/orders\/out-trade-no\/([^/]+)$/.exec(path);
    const byMix = /^\/v3\/med-ins\/orders\/mix-trade-no\/([^/]+)$/.exec(path);
    if ((byOut || byMix) && method === 'GET') {
      const found = byOut
        ? byOutTradeNo(decodeURIComponent(byOut[1] ?? ''))
        : mixOrders.get(decodeURIComponent(byMix?.[1] ?? ''));
      // A sub-merchant's order is found only with its ?sub_mchid= (PROTOCOLS §3.1, W9, I1).
      const o =
        found && found.request.sub_mchid === (url.searchParams.get('sub_mchid') ?? undefined)
          ? found
          : undefined;
      if (o) return { status: 200, body: view(o) };
      return byOut ? fail(404, 'NOT_FOUND', '268529515 未找到订单') : undefined;
    }
    if (path === '/v3/med-ins/refunds/notify' && method === 'POST') {
      const mix = url.searchParams.get('mix_trade_no') ?? '';
      return mixOrders.has(mix) ? refundNotice(mix, req) : undefined;
    }
    return undefined;
  }

  /** The mixed orders waiting for the patient's password, both wallets, for the sandbox page. */
  function waiting() {
    const fen = (v: unknown) => {
      try {
        return parseYuan(typeof v === 'string' ? v : '0');
      } catch {
        return 0;
      }
    };
    const wechat = [...mixOrders.values()]
      .filter((o) => o.mixPayStatus === 'MIX_PAY_CREATED')
      .map((o) => ({
        channel: 'wechatpay',
        outTradeNo: o.outTradeNo,
        totalFen: Number(o.request.total_fee),
        fundFen: Number(o.request.med_ins_gov_fee) + Number(o.request.med_ins_other_fee),
        personalAccountFen: Number(o.request.med_ins_self_fee),
        selfPayFen: Number(o.request.wechat_pay_cash_fee),
        mixPayType: String(o.request.mix_pay_type),
      }));
    const alipay = [...medicalTrades.values()]
      .filter((t) => t.tradeStatus === 'WAIT_BUYER_PAY')
      .map((t) => ({
        channel: 'alipay',
        outTradeNo: t.outTradeNo,
        totalFen: fen(t.request.total_amount),
        fundFen: fen(t.request.gov_amount) + fen(t.request.other_amount),
        personalAccountFen: fen(t.request.account_amount),
        selfPayFen: fen(t.request.real_amount),
        mixPayType: 'medical trade',
      }));
    return [...wechat, ...alipay];
  }

  return { alipayMethod, wechatExchange, wechatRoute, pay, failMixed, waiting, mixOrders, medicalTrades };
}

export type MedicalSimulator = ReturnType<typeof medicalSimulator>;
