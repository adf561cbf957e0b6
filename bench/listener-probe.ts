/** Reading which version a listener serves, for the benchmarks: one GET at a time over kept-alive sockets. */
import { Agent, request } from 'node:http';

export const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** Polls `probe` every 20 ms until it returns a value, for at most `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | false | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The version the sample app at `url` answers with, or what went wrong. */
export function version(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(String((JSON.parse(Buffer.concat(chunks).toString()) as { version?: unknown }).version));
        } catch {
          resolve(`HTTP ${res.statusCode}`);
        }
      });
    });
    req.on('error', (err) => resolve(`error ${err.message}`));
    req.end();
  });
}

/** When `url` began answering v1 for good: the first of 50 consecutive v1 answers (performance.now()). */
export async function backOnV1(url: string): Promise<number> {
  let streak = 0;
  let first = Number.NaN;
  await until(async () => {
    if ((await version(url)) === 'v1') {
      if (streak === 0) first = performance.now();
      streak += 1;
    } else {
      streak = 0;
    }
    return streak >= 50;
  }, 30_000, 'traffic back on v1');
  return first;
}
