/* eslint-disable @typescript-eslint/no-explicit-any -- the plugin is a dynamic Proxy chain, and API bodies are untyped JSON on the wire */
/** The signed APIv3 client and its call wrapper, shared by the WeChat Pay adapters. */
import type { KeyObject } from 'node:crypto';
import { toShanghaiDateTime } from '../../domain/business-day';
import { ProviderUnavailableError } from '../../domain/errors';
import { Wechatpay } from './sdk';

/** Merchant credentials and endpoints. Keys are PEM strings; the platform keys map serial → public key. */
export interface WechatpayConfig {
  readonly mchId: string;
  readonly appId: string;
  readonly merchantSerial: string;
  readonly merchantPrivateKey: string;
  readonly apiV3Key: string;
  readonly platformKeys: Readonly<Record<string, string | KeyObject>>;
  /** https://api.mch.weixin.qq.com/ in production; the sandbox locally. */
  readonly baseURL: string;
  readonly notifyUrl: string;
  readonly timeoutMs?: number;
}

interface AxiosLikeError {
  response?: { status: number; data?: { code?: string; message?: string } };
  code?: string;
  message: string;
}

/** A 2xx answer. */
export type WechatOk = { status: number; data: Record<string, any> };
/** A 4xx business answer (the outcome is known: nothing happened, or the state forbids it). */
export type WechatFailure = { status: number; code?: string; message?: string };
export type Call = (config?: Record<string, unknown>) => Promise<WechatOk>;
export type Post = (data: unknown, config?: Record<string, unknown>) => Promise<WechatOk>;

/** Builds the APIv3 client (signs requests, verifies response signatures against the platform keys). */
export function wechatpayClient(config: WechatpayConfig): Record<string, any> {
  const client = new Wechatpay({
    mchid: config.mchId,
    serial: config.merchantSerial,
    privateKey: config.merchantPrivateKey,
    certs: config.platformKeys,
    baseURL: config.baseURL.endsWith('/') ? config.baseURL : `${config.baseURL}/`,
    timeout: config.timeoutMs ?? 5_000,
  }) as unknown as Record<string, any>;
  return client.v3 as Record<string, any>;
}

/** Calls the API; provider-side outages become PROVIDER_UNAVAILABLE, business answers (4xx) come back. */
export async function wechatCall(
  operation: string,
  run: () => Promise<WechatOk>,
): Promise<WechatOk | WechatFailure> {
  try {
    return await run();
  } catch (error) {
    const e = error as AxiosLikeError;
    const status = e.response?.status;
    // 429 FREQUENCY_LIMITED ("频率超限，请降低请求接口频率") did not reach the business logic: retry later,
    // like a 5xx SYSTEM_ERROR ("系统错误，请使用相同参数稍后重新调用"); pay.weixin.qq.com/docs/merchant/development/
    // interface-rules/error-code.html. Other 4xx are business answers the caller interprets.
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      return { status, code: e.response?.data?.code, message: e.response?.data?.message };
    }
    throw new ProviderUnavailableError(
      'WeChat Pay did not answer; nothing was changed. Retry with the same Idempotency-Key.',
      { channel: 'wechatpay', operation, status, code: e.code },
      { cause: error },
    );
  }
}

/** True for a 4xx business answer. */
export const wechatFailed = (r: WechatOk | WechatFailure): r is WechatFailure => !('data' in r);

/** RFC 3339 in Beijing time, as WeChat Pay expects. */
export const wechatBeijingTime = (d: Date) => `${toShanghaiDateTime(d).replace(' ', 'T')}+08:00`;

/**
 * `yyyyMMddHHmmss` in Beijing time: the format of Pay Score's times (time_range.start_time/end_time,
 * collection.details[].paid_time; pay.weixin.qq.com/docs/merchant/apis/weixin-pay-score, 创建/查询支付分订单,
 * e.g. "20091225091210", and "支持yyyyMMddHHmmss和yyyyMMdd两种格式" in 同步服务订单信息).
 */
export const payScoreTime = (d: Date) => toShanghaiDateTime(d).replace(/\D/g, '');

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * Parses a WeChat Pay time in either of the forms its APIs use: RFC 3339 (`success_time`,
 * `2018-06-08T10:34:56+08:00`, the basic payment and refund resources) or Pay Score's `yyyyMMddHHmmss` in
 * Beijing time (`paid_time` "20091225091210"). Anything else, or a date that does not exist, is undefined.
 */
export function parseWechatTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  if (RFC3339.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = COMPACT.exec(value);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`;
  const d = new Date(iso);
  return !Number.isNaN(d.getTime()) && payScoreTime(d) === value ? d : undefined;
}
