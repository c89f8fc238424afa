/**
 * The provider webhook handler: no JWT (the signature is the authentication), no body parser. The raw
 * bytes go to the adapter's verifier before anything parses them. Replies follow each provider's rules:
 * Alipay retries unless the body is exactly `success`; WeChat Pay retries unless the status is 2xx.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { IntegrityAlertError, MedpayError, NotificationRejectedError } from '../domain/errors';
import type { Channel } from '../domain/ledger/accounts';
import type { Metrics } from '../ports/metrics';
import type { NotificationVerifier, ProviderEvent } from '../ports/payment-provider';
import type { LambdaHttpHandler } from './context';
import type { HttpResponse } from './error-mapping';
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

/** Logs, counts and answers a notification that was not applied; the provider will send it again. */
function refuse(deps: WebhookDeps, channel: Channel, requestId: string, error: unknown): HttpResponse {
  const { logger, metrics } = deps;
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
    return reply(channel, false, 401, error.message, requestId);
  }
  if (error instanceof IntegrityAlertError) {
    // Authentic, but it contradicts what medpay recorded: nothing changes, and a person must look.
    logger.error('integrity alert', {
      requestId,
      channel,
      entity: error.entity,
      mismatches: error.mismatches,
    });
    metrics.count('IntegrityAlerts', { channel });
    return reply(channel, false, 409, error.message, requestId);
  }
  if (error instanceof MedpayError && error.code !== 'STORAGE_UNAVAILABLE' && error.code !== 'INTERNAL') {
    logger.warn('notification not applied', { requestId, channel, code: error.code, detail: error.message });
    return reply(channel, false, 409, error.message, requestId);
  }
  logger.error('notification failed; the provider will retry', { requestId, channel, error });
  return reply(channel, false, 500, 'temporarily unable to process; retry', requestId);
}

/**
 * Creates the webhook handler of one channel: `resolveDeps` builds the function's dependencies and `apply`
 * is the use case a verified event goes to.
 */
export function webhookHandler<D extends WebhookDeps>(
  channel: Channel,
  resolveDeps: () => Promise<D>,
  apply: (deps: D, event: ProviderEvent) => Promise<string>,
): LambdaHttpHandler {
  return async (event: HttpEvent, context: Context) => {
    const requestId = context.awsRequestId || randomUUID();
    let deps: D;
    try {
      deps = await resolveDeps();
    } catch (error) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'startup failed', error: String(error) }));
      return reply(channel, false, 500, 'temporarily unavailable', requestId);
    }
    const logger = deps.logger;
    const verifier = deps.verifiers[channel];
    if (!verifier) return reply(channel, false, 404, `${channel} is not configured`, requestId);
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    try {
      const verified = await verifier.verifyNotification({ headers: event.headers ?? {}, body });
      const outcome = await apply(deps, verified);
      logger.info('notification applied', {
        requestId,
        channel,
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
