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
import { alipayActingFor } from './channels';
import { hospitalUrl, INSURANCE_PLATFORM_KEYS, type Hospital, type PlatformKeys } from '../domain/hospital';
import type { HospitalSecrets } from '../ports/hospital-secrets';

/** The channels' clients the insured part builds on. */
export interface InsuredChannels {
  readonly alipay?: AlipayClient;
  readonly wechat?: WechatpayConfig;
  readonly providers: Partial<Record<Channel, PaymentProvider>>;
}

/** Who the insured parts act as: the hospital's codes at the platform and the wallets, and its keys. */
interface InsuranceIdentity {
  readonly orgCode: string;
  readonly orgId: string;
  readonly appId: string;
  readonly keys: PlatformKeys;
  readonly medInstName?: string;
  readonly medInstNo?: string;
  readonly alipay?: { readonly orgChannelCode: string; readonly orgAppId: string };
}

/** A registered hospital the insured parts are built for (partner mode), with its secrets. */
export interface InsuredHospital {
  readonly hospital: Hospital;
  readonly secrets: HospitalSecrets;
}

/** The deployment's own hospital's identity (configuration), or a registered hospital's (its record and secrets). */
async function identityOf(
  config: Config,
  registered: InsuredHospital | undefined,
): Promise<InsuranceIdentity | undefined> {
  const p = config.insurancePlatform;
  if (!p) return undefined;
  if (!registered) {
    const keys = JSON.parse(await resolveSecret(p.keysRef, config.region)) as PlatformKeys;
    return {
      orgCode: p.orgCode,
      orgId: p.orgId,
      appId: p.appId,
      keys,
      medInstName: p.wechat?.medInstName,
      medInstNo: p.wechat?.medInstNo,
      alipay: p.alipay,
    };
  }
  const { hospital, secrets } = registered;
  const keys = hospital.insurance && (await secrets.get(hospital.hospitalId, INSURANCE_PLATFORM_KEYS));
  return hospital.insurance && keys
    ? { ...hospital.insurance, keys: JSON.parse(keys) as PlatformKeys }
    : undefined;
}

/**
 * A registered hospital's insured parts, or undefined until its 医保 identity is connected: the platform's
 * `channels.alipay` acting for its merchant, `providers` its partner-mode cashiers.
 */
export async function hospitalInsuredParts(
  config: Config,
  clock: Clock,
  channels: { readonly alipay?: AlipayClient; readonly wechat?: WechatpayConfig },
  providers: InsuredChannels['providers'],
  registered: InsuredHospital,
): Promise<InsuredParts | undefined> {
  const { hospital, secrets } = registered;
  const merchant = channels.alipay && (await alipayActingFor(channels.alipay, hospital, secrets));
  return buildInsuredParts(
    config,
    clock,
    { alipay: merchant, wechat: channels.wechat, providers },
    registered,
  );
}

/**
 * Builds the insured-payment parts, or undefined when no platform is configured. Given `registered`, they
 * are that hospital's (partner mode: its 医保 identity, its sub-merchant at WeChat Pay 医保, `channels.alipay`
 * acting for its merchant, and URLs naming it), or undefined until its insurance is connected.
 */
export async function buildInsuredParts(
  config: Config,
  clock: Clock,
  channels: InsuredChannels,
  registered?: InsuredHospital,
): Promise<InsuredParts | undefined> {
  const p = config.insurancePlatform;
  const identity = await identityOf(config, registered);
  if (!p || !identity) return undefined;
  const { keys } = identity;
  /** A partner URL names the hospital (as the payment providers' notify_url do). */
  const forHospital = (url: string) => hospitalUrl(url, registered?.hospital.hospitalId);
  const platform = nationalInsuranceGateway(
    {
      baseUrl: p.baseUrl,
      paths: { ...ASSUMED_PLATFORM.paths, ...(p.paths as Partial<Record<Interface, string>>) },
      envelope: {
        appId: identity.appId,
        appSecret: keys.appSecret,
        secretSeparator: p.secretSeparator,
        version: p.version,
        sm4KeyHex: keys.sm4KeyHex,
        privateKeyHex: keys.privateKeyHex,
        platformPublicKeyHex: keys.platformPublicKeyHex,
        userId: p.userId,
      },
      orgCode: identity.orgCode,
      orgId: identity.orgId,
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
  const medInst = identity.medInstName && identity.medInstNo;
  const subMerchant = registered?.hospital.channels.wechatpay;
  if (p.wechat && wechat && cashier && medInst && (!registered || subMerchant)) {
    const serial =
      p.wechat.encryptionSerial ??
      Object.keys(wechat.platformKeys).find((s) => s.startsWith('PUB_KEY_ID_')) ??
      Object.keys(wechat.platformKeys)[0] ??
      '';
    orders.wechatpay = wechatMedicalOrders(
      wechat,
      {
        medInstName: identity.medInstName ?? '',
        medInstNo: identity.medInstNo ?? '',
        callbackUrl: forHospital(p.wechat.callbackUrl),
        encryptionSerial: serial,
      },
      cashier,
      clock,
      subMerchant,
    );
  }
  const a = p.alipay && identity.alipay && { ...p.alipay, ...identity.alipay };
  if (a && channels.alipay && config.alipay) {
    auth.alipay = alipayMedicalAuth(channels.alipay, {
      orgCode: identity.orgCode,
      orgChannelCode: a.orgChannelCode,
      orgAppId: a.orgAppId,
      callUrl: a.callUrl,
    });
    orders.alipay = alipayMedicalOrders(channels.alipay, {
      orgNo: identity.orgCode,
      returnUrl: a.callUrl,
      notifyUrl: forHospital(config.alipay.notifyUrl),
      ...(registered ? { serviceProviderId: config.alipay.sellerId } : {}),
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
