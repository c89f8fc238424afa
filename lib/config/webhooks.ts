/**
 * The webhook part of the composition root: each configured channel's notification verifier, built from its
 * verification keys alone (Alipay's public key; WeChat Pay's APIv3 key and platform keys). The webhooks
 * sign nothing, so they never read a private key, and their IAM roles grant none (infra/iam.cjs).
 */
import { alipayNotificationVerifier } from '../adapters/alipay/notification';
import { wechatpayNotificationVerifier } from '../adapters/wechatpay/notification';
import type { Channel } from '../domain/ledger/accounts';
import type { Clock } from '../ports/clock';
import type { NotificationVerifier } from '../ports/payment-provider';
import { alipayVerifyKeyFor, wechatpayVerifyConfigFor } from './channels';
import type { Config } from './config';
import { composeDeps, type VerifierParts } from './container';

/** Builds the configured channels' notification verifiers. */
export async function buildVerifiers(config: Config, clock: Clock): Promise<VerifierParts> {
  const verifiers: Partial<Record<Channel, NotificationVerifier>> = {};
  // Both channels at once: their secrets share one SSM batch (./secrets.ts).
  const [alipayKey, wechat] = await Promise.all([
    alipayVerifyKeyFor(config),
    wechatpayVerifyConfigFor(config),
  ]);
  if (alipayKey && config.alipay) verifiers.alipay = alipayNotificationVerifier(alipayKey, config.alipay);
  if (wechat) verifiers.wechatpay = wechatpayNotificationVerifier(wechat, clock);
  return { verifiers };
}

/** The dependencies of a webhook function. */
export const webhookDeps = composeDeps({ providers: buildVerifiers });
