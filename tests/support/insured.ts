/**
 * The sample insured charge the tests and the bench share: 100.00 of a medical service item (numeric list
 * code: the sandbox's 80 % fund) and 50.00 outside the lists (self-pay), and the insured person the sandbox
 * platform knows (W1 §5's ID-digest example number).
 */
import { fen } from '../../lib/domain/money';
import type { FeeLine } from '../../lib/ports/insurance-gateway';

/** The insured person (name and ID number the wallet checks). */
export const INSURED_PERSON = { name: '张三', idNumber: '44030019000101123X' } as const;

/** 150.00 in two lines: with a 10.00 personal account it splits 80.00 / 10.00 / 60.00. */
export const SAMPLE_FEE_LINES: FeeLine[] = [
  {
    lineId: 'L1',
    listCode: '250101001',
    hospitalListCode: 'H1',
    name: '血常规',
    quantity: '1',
    amountFen: fen(10_000),
  },
  {
    lineId: 'L2',
    listCode: 'S9',
    hospitalListCode: 'H2',
    name: '自费项目',
    quantity: '1',
    amountFen: fen(5_000),
  },
];
