/** The environment, parsed once with zod into a typed Config. Nothing else reads process.env. */
import { z } from 'zod';

const secretRef = z
  .string()
  .regex(
    /^(file|ssm):.+$/,
    'must be a secret reference: "file:<path>" locally or "ssm:<parameter name>" on AWS',
  );

const schema = z
  .object({
    STAGE: z.string().min(1).default('local'),
    AWS_REGION: z.string().min(1).default('cn-north-1'),
    TABLE_NAME: z.string().min(3),
    DYNAMODB_ENDPOINT: z.url().optional(),
    AUTH_MODE: z.enum(['hs256', 'jwks']).default('hs256'),
    AUTH_HS256_SECRET: secretRef.optional(),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    IDEMPOTENCY_TTL_SEC: z.coerce.number().int().min(60).default(86_400),
    IDEMPOTENCY_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
    LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_MODE === 'hs256' && !env.AUTH_HS256_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_HS256_SECRET'], message: 'required when AUTH_MODE=hs256' });
    }
    if (env.AUTH_MODE === 'jwks' && !env.AUTH_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'required when AUTH_MODE=jwks' });
    }
  });

/** How tokens are verified: a shared HS256 secret (local, tests) or the identity provider's JWKS (RS256). */
export type AuthConfig =
  | {
      readonly mode: 'hs256';
      readonly secretRef: string;
      readonly issuer?: string;
      readonly audience?: string;
    }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

/** medpay's typed configuration. */
export interface Config {
  readonly stage: string;
  readonly region: string;
  readonly tableName: string;
  readonly dynamodbEndpoint?: string;
  readonly auth: AuthConfig;
  readonly idempotency: { readonly ttlSec: number; readonly lockMs: number };
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

/** Parses an environment into Config, listing every bad or missing variable in one error. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // serverless.yml renders unset parameters as empty strings: treat them as absent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`medpay configuration is invalid:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const common = { issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE };
  return {
    stage: e.STAGE,
    region: e.AWS_REGION,
    tableName: e.TABLE_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    auth:
      e.AUTH_MODE === 'hs256'
        ? { mode: 'hs256', secretRef: e.AUTH_HS256_SECRET as string, ...common }
        : { mode: 'jwks', jwksUrl: e.AUTH_JWKS_URL as string, ...common },
    idempotency: { ttlSec: e.IDEMPOTENCY_TTL_SEC, lockMs: e.IDEMPOTENCY_LOCK_MS },
    logLevel: e.LOG_LEVEL,
  };
}
