/**
 * PaymentCodeFollowUp over Lambda's Invoke API, asynchronously (Lambda API Reference, Invoke: `POST
 * /2015-03-31/functions/{FunctionName}/invocations`, `X-Amz-Invocation-Type: Event` → 202 Accepted; Lambda
 * queues the event and retries the function twice on error). Signed by the SDK's signer (./sigv4.ts), as the
 * SSM calls are, instead of bundling @aws-sdk/client-lambda. Locally serverless-offline answers the same path.
 */
import type { Logger } from '../../ports/logger';
import type { PaymentCodeFollowUp } from '../../ports/payment-code-follow-up';
import { signRequest, type AwsCredentials } from './sigv4';

/** Where and as whom to invoke the follow-up function. */
export interface LambdaFollowUpOptions {
  readonly functionName: string;
  readonly region: string;
  readonly credentials: () => Promise<AwsCredentials>;
  /** serverless-offline's lambda port locally; unset on AWS (the region's endpoint). */
  readonly endpoint?: string;
  readonly timeoutMs?: number;
}

/** The region's Lambda endpoint (China regions use amazonaws.com.cn). */
export const lambdaEndpoint = (region: string, endpoint?: string) =>
  endpoint ?? `https://lambda.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

/**
 * Starts the follow-up with `{hospitalId, paymentId}`. A failed start is logged, not thrown: the payment is
 * recorded PENDING, and the sweep carries on what the follow-up would have.
 */
export function lambdaFollowUp(options: LambdaFollowUpOptions, logger: Logger): PaymentCodeFollowUp {
  return {
    async start(hospitalId, paymentId) {
      const url = new URL(
        `/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`,
        lambdaEndpoint(options.region, options.endpoint),
      );
      const body = JSON.stringify({ hospitalId, paymentId });
      try {
        const headers = await signRequest(
          {
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
            body,
          },
          await options.credentials(),
          { region: options.region, service: 'lambda' },
          new Date(),
        );
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
        });
        await response.body?.cancel();
        if (response.status !== 202) throw new Error(`Lambda Invoke answered ${response.status}`);
      } catch (error) {
        logger.warn('payment code follow-up not started; the sweep will carry the payment on', {
          paymentId,
          error,
        });
      }
    },
  };
}
