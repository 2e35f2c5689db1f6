import { Gauge, type MetricValue } from 'prom-client';

/** One sample of a gauge read at scrape time. */
export interface GaugeSample<T extends string> {
  labels?: Partial<Record<T, string>>;
  value: number;
}

/**
 * A gauge whose samples are read from their owner when Prometheus scrapes, not kept up to date
 * in between: `refresh()` reads them, then the scrape prints them. A source that fails or does
 * not answer in time (database down) leaves the gauge without samples in that scrape and reports
 * the failure; the rest of the scrape is unaffected.
 */
export class ScrapedGauge<T extends string> extends Gauge<T> {
  private samples: ReadonlyArray<GaugeSample<T>> = [];

  constructor(
    settings: { name: string; help: string; labelNames?: readonly T[]; registers: NonNullable<ConstructorParameters<typeof Gauge<T>>[0]['registers']> },
    private readonly read: () => Promise<ReadonlyArray<GaugeSample<T>>>,
    private readonly failed: () => void,
    private readonly timeoutMs: number,
  ) {
    super(settings);
  }

  async refresh(): Promise<void> {
    try {
      this.samples = await within(this.read(), this.timeoutMs);
    } catch {
      this.samples = [];
      this.failed();
    }
  }

  override async get() {
    const samples = this.samples; // before awaiting: what the latest refresh read
    const metric = await super.get();
    return { ...metric, values: samples.map((sample): MetricValue<T> => ({ value: sample.value, labels: sample.labels ?? {} })) };
  }
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
