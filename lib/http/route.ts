/** Route definitions: the HTTP contract (method, path, roles, zod schemas), shared by handlers and OpenAPI. */
import type { z } from 'zod';
import type { Role } from './auth';

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

/** A route of the contract in API.md. */
export interface RouteDefinition<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
> {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI-style path: `/payments/{paymentId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** `public` routes take no token; otherwise the roles that may call it. */
  readonly auth: 'public' | readonly Role[];
  readonly body?: B;
  readonly params?: P;
  readonly query?: Q;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

/** Declares a route with its types inferred from the schemas. */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(route: RouteDefinition<B, P, Q>): RouteDefinition<B, P, Q> {
  return route;
}

/** True for routes that require an Idempotency-Key: every authenticated POST. */
export function isIdempotent(route: RouteDefinition<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>): boolean {
  return route.method === 'POST' && route.auth !== 'public';
}
