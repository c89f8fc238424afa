/** Stream helpers for tests. */
import { PassThrough } from 'node:stream';

/** Runs `write` into a fresh stream and returns every byte it wrote, once the stream has ended. */
export async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => out.on('end', r));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}
