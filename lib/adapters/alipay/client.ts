/** Builds the alipay-sdk client once, in the composition root, in public-key or certificate mode. */
import { AlipaySdk } from 'alipay-sdk';

/** Alipay credentials: the app's private key plus either Alipay's public key or the three certificates. */
export type AlipayClientConfig = {
  readonly appId: string;
  /** PKCS#8 PEM of the app's private key. */
  readonly appPrivateKey: string;
  /** The gateway, e.g. https://openapi.alipay.com/gateway.do, or the local sandbox. */
  readonly gateway: string;
  readonly timeoutMs?: number;
} & (
  | { readonly mode: 'public-key'; readonly alipayPublicKey: string }
  | {
      readonly mode: 'certificate';
      readonly appCert: string;
      readonly alipayPublicCert: string;
      readonly alipayRootCert: string;
    }
);

/** Creates the SDK. Keys are trimmed: the SDK's key formatter breaks on a PEM's trailing newline. */
export function createAlipaySdk(config: AlipayClientConfig): AlipaySdk {
  const common = {
    appId: config.appId,
    privateKey: config.appPrivateKey.trim(),
    keyType: 'PKCS8' as const,
    signType: 'RSA2' as const,
    gateway: config.gateway,
    timeout: config.timeoutMs ?? 5_000,
    camelcase: false,
  };
  return config.mode === 'public-key'
    ? new AlipaySdk({ ...common, alipayPublicKey: config.alipayPublicKey.trim() })
    : new AlipaySdk({
        ...common,
        appCertContent: config.appCert,
        alipayPublicCertContent: config.alipayPublicCert,
        alipayRootCertContent: config.alipayRootCert,
      });
}
