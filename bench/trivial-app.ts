/**
 * The yardstick for bench/http.bench.ts: a NestJS application with nothing behind its one endpoint, on the same
 * Express adapter and the same JSON body parser as the real API (configureApp from apps/api/src/bootstrap.ts).
 * What the real POST /leads costs beyond this is validation, the command bus, the event store and the fsync.
 *
 *   PORT=3999 HOST=127.0.0.1 node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/trivial-app.ts
 */
import 'reflect-metadata';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { configureApp } from '../apps/api/src/bootstrap';

@Controller()
class PingController {
  /** Takes the parsed body like a real endpoint would, answers a small JSON object (201, like POST /leads). */
  @Post('ping')
  ping(@Body() body: unknown) {
    return { pong: true, fields: body && typeof body === 'object' ? Object.keys(body).length : 0 };
  }
}

@Module({ controllers: [PingController] })
class TrivialModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(TrivialModule, { bodyParser: false, logger: ['fatal', 'error', 'warn'] });
  configureApp(app, { openApi: false });
  const port = Number(process.env['PORT'] ?? 3999);
  const host = process.env['HOST'] ?? '127.0.0.1';
  await app.listen(port, host);
  console.log(`trivial app listening on http://${host}:${port}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
