import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CHECKPOINT_STORE, CheckpointStore, EVENT_STORE, EventStore } from '@pipeline-ledger/event-store';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConversionCompleter } from './conversion-completer';

const CHECKPOINT = 'conversion-completer';
const MAX_BACKOFF_MS = 30_000;
/** The request that converts a lead completes it itself; this is the safety net, so it reads new conversions in batches. */
const LIVE_DELAY_MS = 200;

/**
 * Finishes conversions that a crash interrupted: follows the global stream from its checkpoint and completes every
 * LeadConverted it meets (a no-op for those already complete). Runs for as long as the service runs, so a conversion
 * cut short on another replica is completed here too. The checkpoint is saved every CHECKPOINT_INTERVAL_MS and at
 * shutdown; after a crash the events since the last save are simply read again.
 */
@Injectable()
export class ConversionRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConversionRecoveryService.name);
  private readonly abort = new AbortController();
  private position: bigint | null = null;
  private saved: bigint | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private completed = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CHECKPOINT_STORE) private readonly checkpoints: CheckpointStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly completer: ConversionCompleter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.position = this.saved = await this.checkpoints.load(CHECKPOINT);
    this.running = this.run();
    this.timer = setInterval(() => void this.saveCheckpoint(), this.config.checkpointIntervalMs);
  }

  /** Before the stores close (they close on application shutdown, which comes after). */
  async onModuleDestroy(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.saveCheckpoint();
  }

  /** How many conversions this process has passed through the completer (for health and tests). */
  stats(): { position: string | null; completed: number } {
    return { position: this.position?.toString() ?? null, completed: this.completed };
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (!this.abort.signal.aborted) {
      try {
        const conversions = this.store.subscribeToAll({
          after: this.position,
          signal: this.abort.signal,
          filter: { eventTypes: ['LeadConverted'] },
          liveDelayMs: LIVE_DELAY_MS,
          // Past the events it skips: the next start need not scan them again (conversions are rare among events).
          onCheckpoint: (position) => (this.position = position),
        });
        for await (const event of conversions) {
          await this.completer.complete(event);
          this.completed++;
          this.position = event.position;
          backoff = 100;
        }
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.error(`completing conversions failed after position ${this.position ?? 'start'}; retrying in ${backoff} ms: ${(error as Error).message}`);
        await sleep(backoff, this.abort.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async saveCheckpoint(): Promise<void> {
    if (this.position === null || this.position === this.saved) return;
    const position = this.position;
    await this.checkpoints.save(CHECKPOINT, position);
    this.saved = position;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
