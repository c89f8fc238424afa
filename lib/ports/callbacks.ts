/** Ports of the callbacks to hospital systems: endpoint secrets and signatures, and the HTTP POST. */

/** Derives each endpoint's signing secret from the stage's signing key, and signs bodies with it. */
export interface CallbackSigner {
  /** The endpoint's secret for a version (`whsec_…`); the same every time, never stored. */
  secret(endpointId: string, version: number): Promise<string>;
  /** The Medpay-Signature value: `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, one v1 per secret. */
  header(secrets: readonly string[], timestampSec: number, body: string): string;
}

/** What one POST to an endpoint came to. */
export interface SendOutcome {
  readonly httpStatus?: number;
  readonly error?: string;
  readonly durationMs: number;
}

/** Sends a signed event to an endpoint. */
export interface CallbackSender {
  /** POSTs `body` with `headers`; resolves with the answer's status or the network error, never throws. */
  post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendOutcome>;
}
