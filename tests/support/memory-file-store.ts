/** An in-memory FileStore for tests that exercise statement exports without S3. */
import { Writable } from 'node:stream';
import type { FileStore } from '../../lib/ports/file-store';

/** Keeps every file's bytes by key; download URLs are memory:// links. */
export function memoryFileStore() {
  const files = new Map<string, { contentType: string; bytes: Buffer }>();
  const store: FileStore = {
    async put(key, contentType, write) {
      const chunks: Buffer[] = [];
      const out = new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(Buffer.from(chunk));
          done();
        },
      });
      const finished = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
      await write(out);
      await finished;
      files.set(key, { contentType, bytes: Buffer.concat(chunks) });
    },
    downloadUrl: (key) => Promise.resolve(`memory://${key}`),
  };
  return { store, files };
}
