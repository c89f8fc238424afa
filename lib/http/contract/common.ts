/** Schemas shared by every route: the error body and the request headers API.md requires. */
import { z } from 'zod';

/** `{"error":{"code","message","requestId"}}` */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      requestId: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The Idempotency-Key header every authenticated POST must carry. */
export const IdempotencyKeyHeader = z.string().min(1).max(255).meta({
  description:
    'Unique per logical request; reuse it only to retry. Scoped to the caller and route, kept 24 h.',
});
