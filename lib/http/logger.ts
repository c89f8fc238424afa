/** Powertools JSON logger that redacts secrets, tokens and key material before anything is written. */
import { Logger } from '@aws-lambda-powertools/logger';

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

/** Creates the service logger. */
export function createLogger(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT', stage: string): Logger {
  return new Logger({
    serviceName: 'medpay',
    logLevel: level,
    persistentKeys: { stage },
    jsonReplacerFn: (key: string, value: unknown) => redact(key, value),
  });
}

export type { Logger };
