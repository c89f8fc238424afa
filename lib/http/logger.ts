/**
 * The service's structured logger: one JSON object per line on stdout (what CloudWatch Logs and Lambda's
 * JSON log format read), with the level, message, timestamp, service, stage, the X-Ray trace id and the
 * request's keys; secrets, tokens and key material are redacted before anything is written. Written here
 * rather than taken from Powertools Logger: 2 KB against 20 KB in every bundle (npm run bench, (c)).
 */

/** The levels, lowest first. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 };

/** What the code logs with; `appendKeys` adds keys to every later line until `resetKeys`. */
export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
  appendKeys(keys: Readonly<Record<string, unknown>>): void;
  resetKeys(): void;
}

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

/** JSON with redaction, errors spelled out, and repeated objects (cycles) written once. */
function toJson(entry: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(entry, (key, value: unknown) => {
    const v = value instanceof Error ? errorFields(value) : value;
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return typeof v === 'bigint' ? v.toString() : redact(key, v);
  });
}

/** Creates the service logger; `write` receives each line (stdout on Lambda). */
export function createLogger(
  level: LogLevel,
  stage: string,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  let keys: Record<string, unknown> = {};
  const log = (at: Exclude<LogLevel, 'SILENT'>) => (message: string, fields?: object) => {
    if (RANK[at] < RANK[level]) return;
    const trace = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
    write(
      toJson({
        level: at,
        message,
        timestamp: new Date().toISOString(),
        service: 'medpay',
        stage,
        ...(trace ? { xray_trace_id: trace } : {}),
        ...keys,
        ...fields,
      }),
    );
  };
  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
    appendKeys(more) {
      keys = { ...keys, ...more };
    },
    resetKeys() {
      keys = {};
    },
  };
}
