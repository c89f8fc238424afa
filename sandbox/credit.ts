/**
 * The sandbox's credit products, one file each under credit/: Alipay fund authorisation (fund-auth.ts),
 * WeChat Pay Score (payscore.ts). Same signing rules as the rest of the sandbox; captures become ordinary paid trades in the
 * order book (so they appear in bills). Never deployed.
 */
import { randomBytes } from 'node:crypto';
import type { Fen } from '../lib/domain/money';
import { fundAuthSimulator } from './credit/fund-auth';
import { payScoreSimulator } from './credit/payscore';

type Channel = 'alipay' | 'wechatpay';

/** What the credit simulator needs from the sandbox server. */
export interface CreditContext {
  readonly alipay: { appId: string; sellerId: string; appPublicKey: string; platformPrivateKey: string };
  readonly wechatpay: { mchId: string; appId: string; apiV3Key: string; subMerchants?: readonly string[] };
  /** Failures to inject: the next N captures per channel fail (insufficient funds). */
  readonly settings: { captureFailures: Record<Channel, number> };
  /** Records a captured trade in the order book. */
  recordTrade(t: {
    channel: Channel;
    outTradeNo: string;
    amountFen: Fen;
    description: string;
    providerTradeNo: string;
    payer?: string;
    /** The WeChat Pay sub-merchant or the Alipay merchant app a partner capture was for (its bill). */
    subMchId?: string;
    authAppId?: string;
  }): void;
  /** The Alipay merchant app an app_auth_token acts for (undefined: unknown or revoked). */
  actingFor(appAuthToken: string): string | undefined;
  /** Posts an Alipay notification with these parameters (signed by the caller's rules). */
  notifyAlipay(kind: string, ref: string, url: string, params: Record<string, string>): Promise<unknown>;
  /** Posts a WeChat Pay notification with this resource. */
  notifyWechat(
    eventType: string,
    originalType: string,
    summary: string,
    resource: object,
    url: string,
  ): Promise<unknown>;
  later(fn: () => void, ms: number): void;
}

/** What every credit product shares: the context, the capture log and the injected failures. */
export interface CreditShared {
  readonly ctx: CreditContext;
  readonly captures: Array<{ channel: Channel; outOrderNo: string; outTradeNo: string; amountFen: number }>;
  /** True (and one fewer left) when the next capture of `channel` is to fail. */
  readonly failCapture: (channel: Channel) => boolean;
  readonly digits: (n: number) => string;
}

/** A WeChat Pay route's answer: a status and a JSON body, or undefined for a path it does not serve. */
export type WechatRouteResult = { status: number; body?: object } | undefined;

/** WeChat Pay's error body, `{"code","message"}`, with its HTTP status. */
export const wechatError = (status: number, code: string, message: string) => ({
  status,
  body: { code, message },
});

/** Creates the credit simulator. */
export function createCreditSimulator(ctx: CreditContext) {
  const shared: CreditShared = {
    ctx,
    captures: [],
    failCapture: (channel) => {
      if (ctx.settings.captureFailures[channel] <= 0) return false;
      ctx.settings.captureFailures[channel] -= 1;
      return true;
    },
    digits: (n) => Array.from(randomBytes(n), (b) => String(b % 10)).join(''),
  };
  const fundAuth = fundAuthSimulator(shared);
  const payScore = payScoreSimulator(shared);
  return {
    freezes: fundAuth.freezes,
    serviceOrders: payScore.serviceOrders,
    captures: shared.captures,
    alipayMethod: fundAuth.alipayMethod,
    /** Handles /v3/payscore/serviceorder*; undefined for other paths. */
    wechatRoute: (method: string, path: string, url: URL, req: Record<string, unknown>) =>
      payScore.route(method, path, url, req),
    /** /sandbox/authorise: the patient confirms the authorisation; the provider notifies the service. */
    authorise: (channel: Channel, outOrderNo: string, orderStr?: string) =>
      channel === 'alipay' ? fundAuth.authorise(outOrderNo, orderStr) : payScore.authorise(outOrderNo),
  };
}
