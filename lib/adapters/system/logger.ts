/**
 * The service's structured logger, Powertools Logger: one JSON object per line on stdout (what CloudWatch
 * Logs and Lambda's JSON log format read), with the level, message, timestamp, service, stage, the X-Ray
 * trace id and the request's keys. What medpay adds is redaction: secrets, tokens and key material are
 * removed from the message and the fields before Powertools sees them, errors are spelled out (their
 * messages redacted too), and repeated objects (cycles) are written once.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger, LogLevel } from '../../ports/logger';
import { redirectOutput } from './powertools-output';

const SENSITIVE_KEY =
  /(authorization|token|secret|password|passwd|private|apikey|api_key|api-key|signature|paysign|cookie|credential|^key$|v3key)/i;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;

/** Masks sensitive values: keys that name secrets lose their value, strings lose embedded JWTs and PEM blocks. */
export function redact(key: string, value: unknown): unknown {
  if (key && SENSITIVE_KEY.test(key) && value !== undefined && value !== null && typeof value !== 'object') {
    return '[REDACTED]';
  }
  if (typeof value === 'string') {
    return value
      .replace(PEM, '[REDACTED PEM]')
      .replace(BEARER, 'Bearer [REDACTED]')
      .replace(JWT, '[REDACTED JWT]');
  }
  return value;
}

/** An Error as plain fields (name, message, code, stack, cause), which JSON.stringify would drop. */
function errorFields(error: Error): Record<string, unknown> {
  const { name, message, stack } = error;
  const code = (error as { code?: unknown }).code;
  return {
    name,
    message,
    ...(code === undefined ? {} : { code }),
    stack,
    ...(error.cause instanceof Error ? { cause: errorFields(error.cause) } : {}),
  };
}

/** A value made safe to log: redacted, errors as fields, cycles as "[Circular]", bigints as text. */
function prepare(value: unknown, key = '', seen = new WeakSet<object>()): unknown {
  const v = value instanceof Error ? errorFields(value) : value;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object' || v === null) return redact(key, v);
  if (seen.has(v)) return '[Circular]';
  seen.add(v);
  const out: Record<string, unknown> | unknown[] = Array.isArray(v)
    ? v.map((item, i) => prepare(item, String(i), seen))
    : Object.fromEntries(Object.entries(v).map(([k, item]) => [k, prepare(item, k, seen)]));
  seen.delete(v); // the same object twice side by side is not a cycle
  return out;
}

/** Fields as a plain, safe object. */
const prepared = (fields: object | undefined) => (fields ? (prepare(fields) as Record<string, unknown>) : {});

/** Creates the service logger; `write` receives each line instead of stdout (tests). */
export function createLogger(level: LogLevel, stage: string, write?: (line: string) => void): Logger {
  const logger = new PowertoolsLogger({ serviceName: 'medpay', logLevel: level, persistentKeys: { stage } });
  if (write) redirectOutput(logger, write);
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: object): void =>
      logger[method](String(redact('', message)), prepared(fields));
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    appendKeys: (keys) => logger.appendKeys(prepared(keys)),
    resetKeys: () => logger.resetKeys(),
  };
}
