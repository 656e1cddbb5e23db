import { processContext } from './context.ts';
import { runElevate } from './program.ts';

// The `elevate` command (bin/elevate.mjs loads this through tsx). Ctrl-C aborts what is in
// flight so a long wait can say how to pick up again; a second Ctrl-C ends at once.
const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(130));
});

const code = await runElevate(process.argv.slice(2), processContext(interrupt.signal));
process.exitCode = code;
