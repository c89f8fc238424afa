/**
 * The insured-payment part of the composition root: the national platform's gateway (its envelope keys
 * from the secret store) and, per configured wallet, the authorisation exchange and the mixed orders.
 */
import {
  ASSUMED_PLATFORM,
  nationalInsuranceGateway,
  type Interface,
} from '../adapters/insurance/national/gateway';
import type { AlipayClient } from '../adapters/alipay/client';
import { alipayMedicalAuth } from '../adapters/alipay/medical-auth';
import { alipayMedicalOrders, ASSUMED_ALIPAY_MEDICAL } from '../adapters/alipay/medical-orders';
import type { WechatpayConfig } from '../adapters/wechatpay/client';
import { wechatMedicalAuth } from '../adapters/wechatpay/medical-auth';
import { wechatMedicalOrders } from '../adapters/wechatpay/med-ins-orders';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { AuthExchange } from '../ports/insurance-auth';
import type { PlatformOrderState, PlatformRefundState } from '../ports/insurance-gateway';
import type { MedicalOrders, MedicalOrderState } from '../ports/medical-orders';
import type { PaymentProvider, RefundState } from '../ports/payment-provider';
import type { InsuredParts } from '../usecases/payments/deps';
import type { Config } from './config';
import { resolveSecret } from './secrets';

/** The envelope secrets the province issued (one JSON secret). */
interface PlatformKeys {
  readonly appSecret: string;
  readonly sm4KeyHex: string;
  readonly privateKeyHex: string;
  readonly platformPublicKeyHex: string;
}

/** The channels' clients the insured part builds on. */
export interface InsuredChannels {
  readonly alipay?: AlipayClient;
  readonly wechat?: WechatpayConfig;
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
}

/** Builds the insured-payment parts, or undefined when no platform is configured. */
export async function buildInsuredParts(
  config: Config,
  clock: Clock,
  channels: InsuredChannels,
): Promise<InsuredParts | undefined> {
  const p = config.insurancePlatform;
  if (!p) return undefined;
  const keys = JSON.parse(await resolveSecret(p.keysRef, config.region)) as PlatformKeys;
  const platform = nationalInsuranceGateway(
    {
      baseUrl: p.baseUrl,
      paths: { ...ASSUMED_PLATFORM.paths, ...(p.paths as Partial<Record<Interface, string>>) },
      envelope: {
        appId: p.appId,
        appSecret: keys.appSecret,
        secretSeparator: p.secretSeparator,
        version: p.version,
        sm4KeyHex: keys.sm4KeyHex,
        privateKeyHex: keys.privateKeyHex,
        platformPublicKeyHex: keys.platformPublicKeyHex,
        userId: p.userId,
      },
      orgCode: p.orgCode,
      orgId: p.orgId,
      orderStatuses: {
        ...ASSUMED_PLATFORM.orderStatuses,
        ...(p.orderStatuses as Record<string, PlatformOrderState['status']>),
      },
      refundStatuses: {
        ...ASSUMED_PLATFORM.refundStatuses,
        ...(p.refundStatuses as Record<string, PlatformRefundState['status']>),
      },
    },
    clock,
  );
  const auth: Partial<Record<Channel, AuthExchange>> = {};
  const orders: Partial<Record<Channel, MedicalOrders>> = {};
  const wechat = channels.wechat;
  const cashier = channels.providers.wechatpay;
  if (p.wechat && wechat) auth.wechatpay = wechatMedicalAuth({ url: p.wechat.authUrl });
  if (p.wechat && wechat && cashier) {
    const serial =
      p.wechat.encryptionSerial ??
      Object.keys(wechat.platformKeys).find((s) => s.startsWith('PUB_KEY_ID_')) ??
      Object.keys(wechat.platformKeys)[0] ??
      '';
    orders.wechatpay = wechatMedicalOrders(
      wechat,
      {
        medInstName: p.wechat.medInstName,
        medInstNo: p.wechat.medInstNo,
        callbackUrl: p.wechat.callbackUrl,
        encryptionSerial: serial,
      },
      cashier,
      clock,
    );
  }
  const a = p.alipay;
  if (a && channels.alipay && config.alipay) {
    auth.alipay = alipayMedicalAuth(channels.alipay, {
      orgCode: p.orgCode,
      orgChannelCode: a.orgChannelCode,
      orgAppId: a.orgAppId,
      callUrl: a.callUrl,
    });
    orders.alipay = alipayMedicalOrders(channels.alipay, {
      orgNo: p.orgCode,
      returnUrl: a.callUrl,
      notifyUrl: config.alipay.notifyUrl,
      tradeStatuses: {
        ...ASSUMED_ALIPAY_MEDICAL.tradeStatuses,
        ...(a.tradeStatuses as Record<string, MedicalOrderState['status']>),
      },
      refundStatuses: {
        ...ASSUMED_ALIPAY_MEDICAL.refundStatuses,
        ...(a.refundStatuses as Record<string, RefundState['status']>),
      },
    });
  }
  return { platform, auth, orders, defaultMedicalType: p.medicalType };
}
