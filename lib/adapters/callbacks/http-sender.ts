/** CallbackSender over fetch: a 10 s limit, redirects not followed (a 3xx is a failed attempt). */
import type { CallbackSender } from '../../ports/callbacks';

/** Creates the sender; `timeoutMs` bounds each attempt, connection included. */
export function httpCallbackSender(timeoutMs = 10_000): CallbackSender {
  return {
    async post(url, body, headers) {
      const started = Date.now();
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'medpay-callbacks/1', ...headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel(); // only the status counts; free the connection
        return { httpStatus: res.status, durationMs: Date.now() - started };
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        const reason =
          e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
        return { error: reason, durationMs: Date.now() - started };
      }
    },
  };
}
