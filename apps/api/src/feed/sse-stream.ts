import { once } from 'node:events';
import { ServerResponse } from 'node:http';
import { FeedMessage } from './feed-message';

/** Frames are gathered up to this many characters before a write, so a burst is a few large writes, not many small ones. */
const WRITE_CHUNK = 64 * 1024;

/**
 * One Server-Sent Events response: event frames (`id` = global position, `event` = type, `data` = the message),
 * heartbeat comments, and backpressure. Frames are gathered and written once per turn of the event loop (or every
 * 64 KiB); `ready()` resolves only once the socket has taken what was written, so a slow reader holds up its own
 * subscription rather than filling the server's memory.
 */
export class SseStream {
  private pending = '';
  private flushScheduled = false;
  private lastWriteAt = Date.now();
  private closed = false;

  constructor(private readonly res: ServerResponse) {}

  open(retryMs: number): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // proxies such as nginx must not hold events back
    });
    this.res.socket?.setNoDelay(true);
    // The reconnection delay for EventSource clients, and a first byte so that clients see the stream is open.
    this.write(`retry: ${retryMs}\n: connected\n\n`);
  }

  event(message: FeedMessage): void {
    this.pending += `id: ${message.position}\nevent: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`;
    if (this.pending.length >= WRITE_CHUNK) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** A comment line, when nothing was written for `idleMs` and the socket is not backed up: keeps proxies from timing out. */
  heartbeat(idleMs: number): void {
    if (this.closed || this.pending || this.res.writableNeedDrain || Date.now() - this.lastWriteAt < idleMs) return;
    this.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }

  /** Resolves when the client can take more (at once if it can), or when the response has ended. */
  async ready(signal: AbortSignal): Promise<void> {
    if (this.closed || !this.res.writableNeedDrain) return;
    await once(this.res, 'drain', { signal }).catch(() => undefined); // an abort ends the wait; the caller checks it
  }

  end(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.res.end();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.pending || this.closed) return;
    const chunk = this.pending;
    this.pending = '';
    this.write(chunk);
  }

  private write(chunk: string): void {
    if (this.closed || this.res.destroyed) return;
    this.lastWriteAt = Date.now();
    this.res.write(chunk);
  }
}
