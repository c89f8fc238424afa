/** The payment link routes (public: the link's token is the capability): `GET` and `POST /pay/{hospitalId}/{token}`. */
import * as z from 'zod/mini';
import { defineRoute } from '../../route';
import { text } from '../common';
import { HOSPITAL_ID } from '../../../domain/hospital';

/** A link names its hospital and carries its token (192 random bits, base64url). */
export const PayLinkParams = z.object({
  hospitalId: text(2, 32).check(z.regex(HOSPITAL_ID)),
  token: text(32, 32).check(z.regex(/^[A-Za-z0-9_-]+$/)),
});

/** `GET /pay/{hospitalId}/{token}`: the page a family member opens. */
export const showPayLink = defineRoute({
  operationId: 'showPayLink',
  method: 'GET',
  path: '/pay/{hospitalId}/{token}',
  summary: 'A payment link: what is to be paid, and a button to pay it in the wallet (phone browser)',
  tags: ['payments'],
  auth: 'public',
  params: PayLinkParams,
  responses: () => ({
    200: { description: 'The page (HTML): amount, description, status.', contentType: 'text/html' },
    403: { description: 'FORBIDDEN: the hospital is not registered, or suspended.' },
    404: { description: 'NOT_FOUND: no such link.' },
  }),
});

/** `POST /pay/{hospitalId}/{token}`: the page's Pay button. */
export const openPayLink = defineRoute({
  operationId: 'openPayLink',
  method: 'POST',
  path: '/pay/{hospitalId}/{token}',
  summary: "Pay a payment link: orders it from the payer's browser and sends the browser to the wallet",
  tags: ['payments'],
  auth: 'public',
  params: PayLinkParams,
  responses: () => ({
    303: {
      description:
        "To the wallet's cashier (WeChat Pay H5, Alipay wap.pay), or back to the link when there is nothing left to pay.",
      headers: { Location: { description: 'Where the browser goes.', required: true } },
    },
    403: { description: 'FORBIDDEN: the hospital is not registered, or suspended.' },
    404: { description: 'NOT_FOUND: no such link.' },
  }),
});
