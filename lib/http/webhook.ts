/**
 * The provider webhook handler: no JWT (the signature is the authentication), no body parser. The raw
 * bytes go to the adapter's verifier before anything parses them. Replies follow each provider's rules:
 * Alipay retries unless the body is exactly `success`; WeChat Pay retries unless the status is 2xx.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { IntegrityAlertError, NotificationRejectedError } from '../domain/errors';
import type { Channel } from '../domain/ledger/accounts';
import type { Metrics } from '../ports/metrics';
import type { NotificationVerifier, ProviderEvent } from '../ports/payment-provider';
import { logStartupFailure, type LambdaHttpHandler } from './context';
import { classifyError, type HttpResponse } from './error-mapping';
import type { Logger } from '../ports/logger';
import type { HttpEvent } from './request';

/** What a webhook needs: the channel's verifier, a logger and the metrics. */
export interface WebhookDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly verifiers: Partial<Record<Channel, NotificationVerifier>>;
}

function reply(
  channel: Channel,
  ok: boolean,
  status: number,
  message: string,
  requestId: string,
): HttpResponse {
  const headers = { 'X-Request-Id': requestId };
  if (channel === 'alipay') {
    return {
      statusCode: ok ? 200 : status,
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
      body: ok ? 'success' : 'fail',
    };
  }
  return ok
    ? { statusCode: 204, headers, body: '' }
    : {
        statusCode: status,
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'FAIL', message }),
      };
}

/**
 * Logs, counts and answers a notification that was not applied; the provider will send it again. The
 * status is the API's own for the error (classifyError); only the body follows the provider's format.
 */
function refuse(deps: WebhookDeps, channel: Channel, requestId: string, error: unknown): HttpResponse {
  const { logger, metrics } = deps;
  const { code, statusCode, known } = classifyError(error);
  if (error instanceof NotificationRejectedError) {
    // Forged, stale, tampered, malformed or a deliberate probe: logged, never processed.
    logger.warn('notification rejected', {
      requestId,
      channel,
      reason: error.reason,
      detail: error.message,
      context: error.context,
    });
    metrics.count('NotificationsRejected', { channel, reason: error.reason });
  } else if (error instanceof IntegrityAlertError) {
    // Authentic, but it contradicts what medpay recorded: nothing changes, and a person must look.
    logger.error('integrity alert', {
      requestId,
      channel,
      entity: error.entity,
      mismatches: error.mismatches,
    });
    metrics.count('IntegrityAlerts', { channel });
  } else if (statusCode < 500) {
    logger.warn('notification not applied', { requestId, channel, code, detail: known?.message });
  } else {
    logger.error('notification failed; the provider will retry', { requestId, channel, code, error });
    return reply(channel, false, statusCode, 'temporarily unable to process; retry', requestId);
  }
  return reply(channel, false, statusCode, known?.message ?? code, requestId);
}

/**
 * Creates the webhook handler of one channel, in the shape every entry point has (what it serves, the use
 * case, the composer): `apply` is the use case a verified event goes to, and `resolveDeps` builds the
 * function's dependencies.
 */
export function webhookHandler<D extends WebhookDeps>(
  channel: Channel,
  apply: (deps: D, event: ProviderEvent, sentTo: string | undefined) => Promise<string>,
  resolveDeps: () => Promise<D>,
): LambdaHttpHandler {
  return async (event: HttpEvent, context: Context) => {
    const requestId = context.awsRequestId || randomUUID();
    let deps: D;
    try {
      deps = await resolveDeps();
    } catch (error) {
      logStartupFailure(error);
      return reply(channel, false, 500, 'temporarily unavailable', requestId);
    }
    const logger = deps.logger;
    const verifier = deps.verifiers[channel];
    if (!verifier) return reply(channel, false, 404, `${channel} is not configured`, requestId);
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    try {
      const verified = await verifier.verifyNotification({ headers: event.headers ?? {}, body });
      // The hospital the notification was sent for, when its URL names one (partner orders' notify_url).
      const outcome = await apply(deps, verified, event.pathParameters?.hospitalId);
      logger.info('notification applied', {
        requestId,
        channel,
        subMerchant: verified.subMerchant,
        kind: verified.kind,
        outcome,
        notificationId: verified.notificationId,
      });
      return reply(channel, true, 200, 'ok', requestId);
    } catch (error) {
      return refuse(deps, channel, requestId, error);
    }
  };
}
