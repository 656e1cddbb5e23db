import { randomUUID } from 'node:crypto';
import type { CommandSetup } from '../command-setup.ts';
import type { ExitCode } from '../exit-codes.ts';
import { submitRequest } from '../submit-request.ts';
import { waitAndReport, type WaitOptions } from './report-outcome.ts';

export interface RequestOptions extends WaitOptions {
  idempotencyKey?: string;
}

/**
 * `elevate request <scope> <duration> <reason…>`: asks, and with `--wait` waits for the
 * decision and the grant. `--print-token` implies `--wait`.
 */
export async function request(setup: CommandSetup, scope: string, duration: string, reasonWords: string[], options: RequestOptions): Promise<ExitCode> {
  const key = options.idempotencyKey ?? randomUUID();
  const created = await submitRequest(setup.ctx, setup.api, { scope, duration, reason: reasonWords.join(' ') }, key);
  return waitAndReport(setup, created, options);
}
