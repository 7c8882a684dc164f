import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_JWT_SECRET, tokenFor } from './auth';

const ROOT = join(__dirname, '..', '..');

/**
 * One of our apps as a real child process (TypeScript run through ts-node, transpile only): the api on a free
 * loopback port by default, or another entry point (the projector) with a readiness check of its own. The api
 * accepts bearer JWTs signed with TEST_JWT_SECRET; `headers()` carry an admin's.
 */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private stderr = '';
  private authorization: string | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly entry: string,
    private readonly ready: (api: ApiProcess) => Promise<boolean>,
  ) {}

  static async start(dataDir: string): Promise<ApiProcess> {
    const api = new ApiProcess(dataDir, await freePort(), 'apps/api/src/main.ts', async (p) => (await fetch(`${p.url}/health`)).ok);
    await api.spawn();
    return api;
  }

  /** The standalone projector (apps/projector); `ready` says when it has started working. */
  static async startProjector(dataDir: string, ready: () => Promise<boolean>): Promise<ApiProcess> {
    const projector = new ApiProcess(dataDir, await freePort(), 'apps/projector/src/main.ts', ready);
    await projector.spawn();
    return projector;
  }

  /** The child's process id (for measuring its memory), or null when it is not running. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Request headers that authenticate as an admin (user:test-admin), plus any given. */
  async headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    this.authorization ??= `Bearer ${await tokenFor(['admin'], { sub: 'test-admin', expiresIn: 24 * 3600 })}`;
    return { authorization: this.authorization, ...extra };
  }

  /** Kills the process the hard way: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  private async spawn(): Promise<void> {
    this.stderr = '';
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', this.entry], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: this.dataDir, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'error', CHECKPOINT_INTERVAL_MS: '20', JWT_SECRET: TEST_JWT_SECRET },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}: ${this.stderr}`);
      try {
        if (await this.ready(this)) return;
      } catch {
        // not ready yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${this.entry} was not ready within 60 s: ${this.stderr}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
