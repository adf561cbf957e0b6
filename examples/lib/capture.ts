import { Writable } from 'node:stream';

/** A writable stream that keeps what is written (and echoes it, when given a stream). */
export function capture(echo?: NodeJS.WritableStream): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      chunks.push(text);
      echo?.write(text);
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}
