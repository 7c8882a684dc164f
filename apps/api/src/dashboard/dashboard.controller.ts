import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError } from '@pipeline-ledger/domain';
import { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '../auth/access.decorators';

/** The bundle's file names (apps/dashboard/build.js): a content hash in each, so a name always means the same bytes. */
const ASSET = /^(app|style)-[A-Z0-9]+\.(js|css)$/;

/**
 * Where the built dashboard is: beside the compiled api (dist/apps/api/src/dashboard -> dist/dashboard), or under
 * dist/ of the repository when the api runs from source (ts-node, jest).
 */
export function dashboardDir(): string {
  const root = resolve(__dirname, '../../../..');
  const candidates = [join(root, 'dashboard'), join(root, 'dist', 'dashboard')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

/**
 * The dashboard (apps/dashboard): a static page and its bundle, public (they hold no data: the page asks for a
 * credential and sends it to the api's guarded routes). index.html is revalidated on every load; the hashed assets are
 * cached for good.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  private readonly dir = dashboardDir();

  @Public()
  @Get()
  index(@Res() res: Response): void {
    this.send(res, 'index.html', 'no-cache');
  }

  @Public()
  @Get('dashboard/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET.test(file)) throw new DomainError('not_found', 'NOT_FOUND', `no dashboard file ${file}`);
    this.send(res, file, 'public, max-age=31536000, immutable');
  }

  private send(res: Response, file: string, cacheControl: string): void {
    if (!existsSync(join(this.dir, file))) {
      if (file === 'index.html') throw new DomainError('not_found', 'DASHBOARD_NOT_BUILT', 'the dashboard is not built: run npm run build');
      throw new DomainError('not_found', 'NOT_FOUND', `no dashboard file ${file}`);
    }
    res.sendFile(file, { root: this.dir, dotfiles: 'deny', cacheControl: false, headers: { 'Cache-Control': cacheControl } });
  }
}
