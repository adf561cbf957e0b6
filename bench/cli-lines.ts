import { Writable } from 'node:stream';

/** One JSON line the CLI printed (--output json), with the real time it came. */
export interface CliLine {
  receivedAt: number;
  event: { type: string; phase?: string; stable?: number; canary?: number; confirmed?: boolean; gate?: string };
}

/** A stream that keeps each JSON line the CLI prints with the real time it came; `onLine` sees each as it arrives. */
export function jsonLines(onLine: (line: CliLine) => void = () => undefined): { stream: NodeJS.WritableStream; lines: CliLine[] } {
  const lines: CliLine[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.startsWith('{')) continue;
        const line = { receivedAt: Date.now(), event: JSON.parse(part) as CliLine['event'] };
        lines.push(line);
        onLine(line);
      }
      done();
    },
  });
  return { stream, lines };
}
