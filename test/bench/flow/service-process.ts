/**
 * One Elevate composed exactly as `npm start` composes it (src/main.ts's `startService`), in a
 * process of its own, for the flow benchmark: it reads its configuration from the environment,
 * logs to stderr, prints `{"url":…,"auditSeq":…}` once it listens, and when its stdin closes prints
 * `{"auditSeq":…}` (the length of the audit chain) and stops gracefully.
 */
import { startService } from '../../../src/main.ts';

const service = await startService(process.env, { logDestination: { write: (line: string) => void process.stderr.write(line) } });
const auditSeq = async () => (await service.deps.store.getAuditHead())?.seq ?? 0;
process.stdout.write(`${JSON.stringify({ url: service.url, auditSeq: await auditSeq() })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    process.stdout.write(`${JSON.stringify({ auditSeq: await auditSeq() })}\n`);
    await service.stop();
    process.exit(0);
  })();
});
