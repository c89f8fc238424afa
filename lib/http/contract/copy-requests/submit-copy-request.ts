/** The `POST /copy-requests` route. */
import * as z from 'zod/mini';
import { COPY_ITEMS } from '../../../domain/copy-request';
import { defineRoute } from '../../route';
import { intIn, text } from '../common';
import { Id } from '../shared';

/** `POST /copy-requests` body. */
export const SubmitBody = z.strictObject({
  /** Patients submit their own; staff may name the patient. */
  patientId: z.optional(Id),
  admissionId: Id,
  items: z.array(z.enum(COPY_ITEMS)).check(z.minLength(1), z.maxLength(COPY_ITEMS.length)),
  copies: z._default(intIn(1, 10), 1),
  delivery: z.strictObject({
    recipient: text(1, 64),
    phone: z.string().check(z.regex(/^\+?[0-9-]{6,20}$/)),
    address: text(4, 200),
    /** For the courier tariff by province, e.g. 广东省. */
    province: z.optional(text(2, 16)),
  }),
});

export const submitCopyRequest = defineRoute({
  operationId: 'submitCopyRequest',
  method: 'POST',
  path: '/copy-requests',
  summary: 'Request certified copies with courier delivery; nothing is paid now',
  tags: ['copy-requests'],
  auth: ['patient'],
  body: SubmitBody,
  responses: () => ({
    201: {
      description: 'Submitted.',
      schema: z.object({ copyRequestId: z.string(), status: z.literal('SUBMITTED') }),
    },
  }),
});
