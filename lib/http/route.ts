/** Route definitions: the HTTP contract (method, path, roles, zod schemas), shared by handlers and OpenAPI. */
import type * as z from 'zod/mini';
import type { CallerRole } from './auth';

/** Who may call a route: `public` (no token) or the roles allowed. */
export type RouteAuth = 'public' | readonly CallerRole[];

/** Any route, whatever its schemas. */
export type AnyRoute = RouteDefinition<
  z.ZodMiniType | undefined,
  z.ZodMiniType | undefined,
  z.ZodMiniType | undefined
>;

/** One documented response of a route. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodMiniType;
  /** Defaults to application/json. */
  readonly contentType?: string;
  /** Response headers this response carries (besides X-Request-Id, which every response has). */
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly required?: boolean }>>;
}

/** A route of the contract in API.md. */
export interface RouteDefinition<
  B extends z.ZodMiniType | undefined = undefined,
  P extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  A extends RouteAuth = RouteAuth,
> {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI-style path: `/payments/{paymentId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** `public` routes take no token; otherwise the roles that may call it. */
  readonly auth: A;
  readonly body?: B;
  /** The body may be left out altogether; it is then read as `{}` (its schema's defaults apply). */
  readonly bodyOptional?: true;
  readonly params?: P;
  readonly query?: Q;
  /**
   * The documented responses, built when asked for (the OpenAPI document, the tests): a function never
   * validates its own answers, so no response schema is built on its cold start.
   */
  readonly responses: () => Readonly<Record<number, RouteResponse>>;
}

/** Declares a route with its types inferred from the schemas and roles. */
export function defineRoute<
  B extends z.ZodMiniType | undefined = undefined,
  P extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  A extends RouteAuth = RouteAuth,
>(route: RouteDefinition<B, P, Q, A>): RouteDefinition<B, P, Q, A> {
  return route;
}

/** True for routes that require an Idempotency-Key: every authenticated POST. */
export function isIdempotent(route: AnyRoute): boolean {
  return route.method === 'POST' && route.auth !== 'public';
}
