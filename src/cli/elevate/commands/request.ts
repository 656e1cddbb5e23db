import { randomUUID } from 'node:crypto';
import type { CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { waitProgress } from '../progress.ts';
import { submitRequest } from '../submit-request.ts';
import { waitForRequest } from '../wait-for-request.ts';
import { reportOutcome } from './report-outcome.ts';

export interface RequestOptions {
  wait?: boolean;
  printToken?: boolean;
  idempotencyKey?: string;
}

/**
 * `elevate request <scope> <duration> <reason…>`: asks, and with `--wait` waits for the
 * decision and the grant. `--print-token` implies `--wait`.
 */
export async function request(setup: CommandSetup, scope: string, duration: string, reasonWords: string[], options: RequestOptions): Promise<ExitCode> {
  const { ctx, api } = setup;
  const key = options.idempotencyKey ?? randomUUID();
  const created = await submitRequest(ctx, api, { scope, duration, reason: reasonWords.join(' ') }, key);
  const printToken = Boolean(options.printToken);
  if (!options.wait && !printToken) return reportOutcome(setup, created, false);
  const settled = await waitForRequest(ctx, api, created, waitProgress(ctx.io, ctx.now, created));
  return reportOutcome(setup, settled, printToken);
}
