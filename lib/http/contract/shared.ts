/**
 * The schemas several contract files share (amounts, ids, the payer, a created payment), apart from any
 * route, so that a function builds only its own contract file's schemas.
 */
import * as z from 'zod/mini';
import { CHANNELS } from '../../domain/ledger/accounts';
import { fen } from '../../domain/money';
import { INSURANCE_STATUSES, MAX_PAYMENT_FEN, PAYMENT_MODES, PAYMENT_STATUSES } from '../../domain/payment';
import { described, int, intIn, text, DateTime, lazy } from './common';

/** Integer fen from `min` to 10^10, entering as the domain's branded Fen (no cast downstream). */
export const fenFrom = (min: number) =>
  z.pipe(
    intIn(min, MAX_PAYMENT_FEN),
    z.transform((v: number) => fen(v)),
  );

/** A request amount: integer fen, 1 to 10^10. */
export const AmountFen = described(fenFrom(1), { description: 'Integer fen, 1 to 10^10.', example: 2500 });
export const Id = text(1, 64).check(z.regex(/^[A-Za-z0-9_.-]+$/));
/** A fee line's quantity as the HIS writes it for 6201 (cnt), a decimal string. */
export const FeeQuantity = text(1, 16).check(
  z.regex(/^\d+(\.\d{1,4})?$/, 'a decimal quantity such as 1 or 0.5'),
);
/** Where the patient is at an insurance authorisation, "longitude,latitude" (6201 uldLatlnt). */
export const PatientLocation = text(3, 40).check(
  z.regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?$/, 'longitude,latitude'),
);
/** The insured person as WeChat checks a mixed order's payer (name and ID number are never stored). */
export const InsuredPatient = z.strictObject({
  name: text(1, 64),
  idNumber: text(15, 18).check(z.regex(/^(\d{15}|\d{17}[\dXx])$/, 'an ID-card number')),
  cardType: z._default(
    z.enum(['ID_CARD', 'HOUSEHOLD_REGISTRATION', 'FOREIGNER_PASSPORT', 'FOREIGN_PERMANENT_RESIDENT']),
    'ID_CARD',
  ),
});

export const Payer = z.union([
  z.strictObject({ alipayUserId: text(1, 64) }),
  z.strictObject({ wechatOpenId: text(1, 128) }),
]);

/** Adds an issue at `payer` when the payer does not belong to the channel. */
export function payerMatchesChannel(
  b: { channel: string; payer?: z.infer<typeof Payer> },
  issues: z.core.$ZodRawIssue[],
) {
  if (b.payer && b.channel === 'alipay' && !('alipayUserId' in b.payer))
    issues.push({
      code: 'custom',
      path: ['payer'],
      message: 'alipay needs payer.alipayUserId',
      input: b.payer,
    });
  if (b.payer && b.channel === 'wechatpay' && !('wechatOpenId' in b.payer))
    issues.push({
      code: 'custom',
      path: ['payer'],
      message: 'wechatpay needs payer.wechatOpenId',
      input: b.payer,
    });
}

/** An insured payment's parts and where each stands (docs/insurance.md). */
export const InsuranceView = lazy(() =>
  described(
    z.object({
      mixPayType: z.enum(['CASH_ONLY', 'INSURANCE_ONLY', 'CASH_AND_INSURANCE']),
      /** Pooled fund (统筹 and other funds). */
      insuredFen: int(),
      /** The patient's personal medical-insurance account (个人账户). */
      personalAccountFen: int(),
      /** What the wallet collects (自费). */
      selfPayFen: int(),
      /** The insured part: UPLOADED (6201), ORDERED (wallet order placed), SETTLED, REVOKED (6401), REFUNDED. */
      status: z.enum(INSURANCE_STATUSES),
      selfPayStatus: z.enum(['NONE', 'PENDING', 'PAID', 'REFUNDED']),
      payOrdId: z.optional(z.string()),
      channelOrderNo: z.optional(z.string()),
    }),
    { id: 'PaymentInsurance' },
  ),
);

/** Where a window or kiosk payment was taken: the clerk (the token's subject), the device, the window. */
export const CounterView = lazy(() =>
  described(z.object({ staffId: z.string(), deviceId: z.string(), windowId: z.optional(z.string()) }), {
    id: 'Counter',
  }),
);

/** A payment-code payment's progress (docs/windows.md). */
export const PaymentCodeView = lazy(() =>
  described(
    z.object({
      /** PAYING (the wallet has not decided; the patient may be entering a password), REVERSING, PAID, REFUSED, REVERSED. */
      state: z.enum(['PAYING', 'REVERSING', 'PAID', 'REFUSED', 'REVERSED']),
      /** Still undecided then, the order is reversed (WeChat Pay) or cancelled (Alipay). */
      deadline: DateTime(),
      /** The wallet's reason for refusing the code. */
      refusal: z.optional(z.object({ code: z.string(), message: z.string() })),
      reversedAt: z.optional(DateTime()),
    }),
    { id: 'PaymentCode' },
  ),
);

/** The 201 body of `POST /payments` (and of a copy request's payment); 202 for a payment code still undecided. */
export const CreatedPayment = lazy(() =>
  z.object({
    paymentId: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    channel: z.enum(CHANNELS),
    amountFen: int(),
    outTradeNo: z.string(),
    expiresAt: DateTime(),
    clientParams: z.record(z.string(), z.string()),
    insurance: z.optional(InsuranceView()),
    mode: z.optional(z.enum(PAYMENT_MODES)),
    /** Who paid, once known: not necessarily the patient. */
    payerId: z.optional(z.string()),
    counter: z.optional(CounterView()),
    paymentCode: z.optional(PaymentCodeView()),
  }),
);

/**
 * Fiscal e-receipts (财政电子票据) of a payment or a settled visit: `status` ISSUED (the current receipt covers
 * what is paid), REVERSED (refunded in full) or PENDING (being issued, or waiting for the platform); every
 * receipt and red receipt with 票据代码, 票据号码, 校验码 and its page (docs/receipts.md).
 */
export const ReceiptView = () =>
  z.object({
    status: z.enum(['PENDING', 'ISSUED', 'REVERSED']),
    bills: z.array(
      z.object({
        kind: z.enum(['ISSUED', 'REVERSED']),
        billBatchCode: z.string(),
        billNo: z.string(),
        random: z.string(),
        at: DateTime(),
        url: z.optional(z.string()),
        amountFen: int(),
        reverses: z.optional(z.object({ billBatchCode: z.string(), billNo: z.string() })),
      }),
    ),
    lastError: z.optional(z.string()),
    nextAttemptAt: z.optional(DateTime()),
  });
