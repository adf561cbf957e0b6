import { Agent, request } from 'node:http';

export interface PhaseStats {
  phase: string;
  sent: number;
  failed: number;
  /** Responses per `version` field of the sample app's JSON body. */
  versions: Record<string, number>;
  /** The first few failures, for the summary. */
  samples: string[];
}

/** One answered (or failed) request, as it finished: for benchmarks that need the timeline. */
export interface LoadResult {
  /** Real epoch ms when the answer (or the error) came. */
  at: number;
  ok: boolean;
  /** The sample app's version, when it answered 200. */
  version: string | undefined;
}

/**
 * Steady HTTP load against one URL: `concurrency` loops, each sending the
 * next request as soon as the last one answered (keep-alive), until stopped.
 * Every result is counted in the current phase.
 */
export class LoadGenerator {
  private readonly phases: PhaseStats[] = [];
  private current: PhaseStats;
  private running = true;
  private readonly loops: Array<Promise<void>>;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly url: string,
    concurrency = 4,
    private readonly timeoutMs = 5000,
    private readonly onResult: (result: LoadResult) => void = () => undefined,
  ) {
    this.current = this.newPhase('start');
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Starts counting into a new phase; returns the stats of the one that ended. */
  mark(phase: string): PhaseStats {
    const ended = this.current;
    this.current = this.newPhase(phase);
    return ended;
  }

  async stop(): Promise<PhaseStats[]> {
    this.running = false;
    await Promise.all(this.loops);
    this.agent.destroy();
    return this.phases;
  }

  private newPhase(phase: string): PhaseStats {
    const stats: PhaseStats = { phase, sent: 0, failed: 0, versions: {}, samples: [] };
    this.phases.push(stats);
    return stats;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const phase = this.current;
      phase.sent += 1;
      const outcome = await this.once();
      this.onResult({ at: Date.now(), ok: outcome.ok, version: outcome.ok ? outcome.version : undefined });
      if (outcome.ok) {
        phase.versions[outcome.version] = (phase.versions[outcome.version] ?? 0) + 1;
      } else {
        phase.failed += 1;
        if (phase.samples.length < 5) phase.samples.push(outcome.error);
      }
    }
  }

  private once(): Promise<{ ok: true; version: string } | { ok: false; error: string }> {
    return new Promise((resolve) => {
      const req = request(this.url, { agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return resolve({ ok: false, error: `HTTP ${res.statusCode}` });
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { version?: unknown };
            resolve({ ok: true, version: String(body.version ?? 'unknown') });
          } catch {
            resolve({ ok: true, version: 'unknown' });
          }
        });
        res.on('error', (err) => resolve({ ok: false, error: err.message }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => resolve({ ok: false, error: err.message }));
      req.end();
    });
  }
}
