/**
 * The sandbox's books, shared by its provider surfaces: orders, refunds, the notifications it posted (with
 * each provider's retry schedule, time-compressed) and the settings people and tests change. Never deployed.
 */
import { randomBytes } from 'node:crypto';
import type { Fen } from '../lib/domain/money';
import type { BillFaults } from './bills';
import type { EnvelopeConfig } from '../lib/adapters/insurance/national/envelope';

/** Keys and ids the sandbox plays the providers with. */
export interface SandboxOptions {
  readonly port?: number;
  readonly alipay: { appId: string; sellerId: string; appPublicKey: string; platformPrivateKey: string };
  readonly wechatpay: {
    mchId: string;
    appId: string;
    merchantSerial: string;
    merchantPublicKey: string;
    apiV3Key: string;
    certificate: { serial: string; privateKey: string };
    publicKey: { id: string; privateKey: string };
    /** The sub-merchants that authorised this merchant as their service provider (default: SUB_MERCHANTS). */
    subMerchants?: readonly string[];
  };
  /**
   * The national insurance platform's side of the envelope: its own SM2 private key, the hospital's public
   * key (as platformPublicKeyHex: the key it verifies with), and the appId, secret and SM4 key both share.
   */
  readonly insurancePlatform: EnvelopeConfig;
  /** The hospital's account at the fiscal e-receipt platform (sandbox/ereceipt.ts); none: no platform. */
  readonly ereceipt?: { appId: string; key: string };
  /** 1 = real retry delays; the default compresses a day into seconds. */
  readonly timeScale?: number;
  /** Where the books are kept between runs (npm start: .local/sandbox-books.json); in memory if unset. */
  readonly stateFile?: string;
}

export type Channel = 'alipay' | 'wechatpay';

/** The sandbox's WeChat Pay sub-merchants (特约商户) under its merchant, for two partner-mode hospitals. */
export const SUB_MERCHANTS = ['1900000101', '1900000102'] as const;

/**
 * Whether `subMchId` authorised the sandbox's merchant as its service provider (the configured
 * sub-merchants, SUB_MERCHANTS by default); another is "受理关系不存在" (B4, 268443701).
 */
export const isSubMerchant = (wechatpay: { readonly subMerchants?: readonly string[] }, subMchId: unknown) =>
  (wechatpay.subMerchants ?? SUB_MERCHANTS).includes(String(subMchId));

/** The sandbox's Alipay merchants that may authorise its app (第三方应用授权): their apps and PIDs. */
export const ALIPAY_MERCHANTS = [
  { authAppId: '2021000100000101', merchantId: '2088000000000101' },
  { authAppId: '2021000100000102', merchantId: '2088000000000102' },
] as const;
export interface Order {
  channel: Channel;
  outTradeNo: string;
  amountFen: Fen;
  description: string;
  /** PAYING: a payment code waiting for the patient's password (WeChat USERPAYING, Alipay 10003). */
  status: 'PENDING' | 'PAYING' | 'PAID' | 'CLOSED';
  providerTradeNo: string;
  notifyUrl: string;
  payer?: string;
  paidAt?: Date;
  refundedFen: number;
  createdAt: Date;
  /** WeChat Pay partner mode: the sub-merchant (sub_mchid) the service provider ordered for, and its app. */
  subMchId?: string;
  subAppId?: string;
  /** Alipay partner mode: the merchant app (auth_app_id) whose app_auth_token made the order. */
  authAppId?: string;
  /** How it was ordered (WeChat trade_type: JSAPI, NATIVE, MICROPAY; Alipay: the method's product). */
  tradeType?: string;
  /** The merchant's terminal a payment code was scanned on (WeChat device_id, Alipay terminal_id). */
  deviceId?: string;
  /** Closed by a reversal (WeChat REVOKED; Alipay's cancel, action close or refund). */
  revoked?: boolean;
  /** A QR order's code as the provider answered it (WeChat code_url, Alipay qr_code): what the kiosk shows. */
  qrCode?: string;
}
export interface Refund {
  channel: Channel;
  outTradeNo: string;
  outRefundNo: string;
  amountFen: Fen;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL';
  refundId: string;
  /** WeChat `channel` and `user_received_account` (query-by-out-refund-no); the balance unless set. */
  route?: { channel: string; account: string };
  notifyUrl?: string;
  succeededAt?: Date;
  /** Who gets the money: the order's payer, by the original route (WeChat channel ORIGINAL, 原路退回). */
  payer?: string;
}
export interface NotificationRecord {
  at: string;
  channel: Channel;
  kind: string;
  outTradeNo: string;
  attempt: number;
  probe: boolean;
  responseStatus: number;
  responseBody: string;
  acknowledged: boolean;
}

/** Alipay retries 8 times over about 25 h; WeChat Pay 15 times over about 24 h. */
export const RETRY_SCHEDULE_SEC = {
  alipay: [4 * 60, 10 * 60, 10 * 60, 3600, 2 * 3600, 6 * 3600, 15 * 3600],
  wechatpay: [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600],
} as const;

/**
 * MEDICAL_INSURANCE.SUCCESS: "若 5 秒内未收到 200/204 应答，将按指数退避重试，30 秒后不再重试" (W4). The exact
 * back-off is not published: doubling delays that end within 30 s.
 */
export const MED_INS_RETRY_SEC = [2, 4, 8, 16] as const;

/** Creates empty books for one sandbox. */
export function createBooks(options: SandboxOptions) {
  const orders = new Map<string, Order>();
  const refunds = new Map<string, Refund>();
  const notifications: NotificationRecord[] = [];
  const settings = {
    notifications: true,
    /** Whether WeChat sends MEDICAL_INSURANCE.SUCCESS at all (off: the sweep must find the order). */
    medicalCallbacks: true,
    wechatSerialMode: 'certificate' as 'certificate' | 'public-key' | 'mixed',
    timeScale: options.timeScale ?? 1 / 3600,
    /**
     * How long an Alipay app_auth_token issued now lives, in seconds: AL-ISV2's 365 days (A15 calls tokens
     * long-lived and expires_in obsolete; a shorter life lets a test see medpay refresh before it lapses).
     */
    appAuthTokenTtlSec: 31_536_000,
    /** WeChat refuses a reversal while the patient is still paying ("正在支付中不能发起撤销", WXC3). */
    refuseReversalWhilePaying: false,
    /** The next N credit captures per channel fail (insufficient funds). */
    captureFailures: { alipay: 0, wechatpay: 0 } as Record<Channel, number>,
    /**
     * How the next WeChat refunds go: where the money lands (`user_received_account`, e.g. 招商银行信用卡0403 for
     * a bank card) and how they end: SUCCESS about 200 ms later, ABNORMAL (the card was cancelled: REFUND.ABNORMAL,
     * waiting for apply-abnormal-refund), or STUCK (PROCESSING until a test moves it).
     */
    wechatRefund: { account: '支付用户零钱', outcome: 'SUCCESS' } as {
      account: string;
      outcome: 'SUCCESS' | 'ABNORMAL' | 'STUCK';
    },
    /** Alipay refund_detail_item_list's fund_channel (ALIPAYACCOUNT, BANKCARD, …) and fund_type for a card. */
    alipayRefund: { fundChannel: 'ALIPAYACCOUNT' } as { fundChannel: string; fundType?: string },
    /** Bills: whether they can be downloaded yet, how to damage the file, and discrepancies per channel. */
    billsAvailable: true,
    billCorruption: { alipay: 'none', wechatpay: 'none' } as Record<Channel, 'none' | 'truncate' | 'sha1'>,
    billFaults: {
      alipay: { drop: [], amountDelta: {}, nextDay: [], extra: 0 },
      wechatpay: { drop: [], amountDelta: {}, nextDay: [], extra: 0 },
    } as Record<Channel, BillFaults>,
  };
  const timers = new Set<NodeJS.Timeout>();
  let listeningUrl = '';
  const baseUrl = () => listeningUrl;
  const key = (channel: Channel, no: string) => `${channel}:${no}`;
  const id = (prefix: string, n = 20) => prefix + Array.from(randomBytes(n), (b) => String(b % 10)).join('');

  // ── notifications ──
  async function deliver(url: string, body: string, headers: Record<string, string>) {
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      return { status: 0, body: String(error) };
    }
  }

  async function notify(
    channel: Channel,
    kind: string,
    outTradeNo: string,
    build: () => { url: string; body: string; headers: Record<string, string> },
    attempt = 0,
    probe = false,
    schedule: readonly number[] = RETRY_SCHEDULE_SEC[channel],
  ) {
    const { url, body, headers } = build(); // re-signed per attempt, as the providers do
    const res = await deliver(url, body, headers);
    const acknowledged =
      channel === 'alipay' ? res.body.trim() === 'success' : res.status >= 200 && res.status < 300;
    const record = {
      at: new Date().toISOString(),
      channel,
      kind,
      outTradeNo,
      attempt,
      probe,
      responseStatus: res.status,
      responseBody: res.body,
      acknowledged,
    };
    notifications.push(record);
    const delay = schedule[attempt];
    if (!acknowledged && !probe && delay !== undefined) {
      const t = setTimeout(
        () => {
          timers.delete(t);
          void notify(channel, kind, outTradeNo, build, attempt + 1, false, schedule);
        },
        delay * 1000 * settings.timeScale,
      );
      t.unref();
      timers.add(t);
    }
    return record;
  }

  function markPaid(order: Order) {
    if (order.status !== 'PENDING' && order.status !== 'PAYING') return false;
    order.status = 'PAID';
    order.paidAt = new Date();
    return true;
  }

  return {
    options,
    orders,
    refunds,
    notifications,
    settings,
    timers,
    key,
    id,
    baseUrl,
    setBaseUrl: (url: string) => {
      listeningUrl = url;
    },
    notify,
    markPaid,
  };
}

/** One sandbox's books. */
export type Books = ReturnType<typeof createBooks>;
