import type { MyElevations } from '../../../app/chat/my-elevations.ts';
import { formatDuration } from '../../../domain/duration.ts';
import { ACTIONS } from './action-ids.ts';
import { actions, button, capBlocks, context, divider, header, section, type Block } from './blocks.ts';
import { escapeMrkdwn, slackDate } from './escape.ts';
import { SLACK_LIMITS } from './limits.ts';

/** The App Home tab: the person's pending requests and live grants, with their buttons. */
export function renderHomeView(mine: MyElevations | null, command: string, problem?: string): Record<string, unknown> {
  const blocks: Block[] = [header('Your elevations')];
  if (!mine) {
    blocks.push(section(escapeMrkdwn(problem ?? 'Your Slack account is not linked to an Elevate identity yet.')));
    return { type: 'home', blocks };
  }
  blocks.push(section(`*Pending requests* (${mine.pending.length})`));
  if (mine.pending.length === 0) blocks.push(context('None.'));
  for (const r of mine.pending) {
    blocks.push(section(`\`${escapeMrkdwn(r.id)}\` *${escapeMrkdwn(r.scopeName)}* for ${formatDuration(r.durationSec)} — expires ${slackDate(r.pendingUntil)}`));
  }
  blocks.push(divider(), section(`*Active grants* (${mine.active.length})`));
  if (mine.active.length === 0) blocks.push(context('None.'));
  for (const { grant, request } of mine.active) {
    const state = grant.status === 'active' ? `until ${slackDate(grant.endsAt)}` : grant.status === 'issuing' ? 'being issued' : 'being revoked';
    blocks.push(section(`\`${escapeMrkdwn(grant.id)}\` *${escapeMrkdwn(request.scopeName)}* ${state}`));
    if (grant.status === 'active') {
      blocks.push(
        actions(`elevate-home:${grant.id}`, [
          button({ text: 'Show token', actionId: ACTIONS.revealToken, value: grant.id, style: 'primary' }),
          button({ text: 'End now', actionId: ACTIONS.endGrant, value: grant.id }),
          button({ text: 'Extend', actionId: ACTIONS.extendGrant, value: grant.id }),
        ]),
      );
    }
  }
  if (mine.breakGlassToReview.length > 0) {
    blocks.push(divider(), section(`:rotating_light: *Break-glass to review* (${mine.breakGlassToReview.length})`));
    for (const r of mine.breakGlassToReview) {
      const overdue = r.breakGlass!.remindedAt !== null ? ' — *overdue*' : '';
      blocks.push(
        section(`\`${escapeMrkdwn(r.id)}\` *${escapeMrkdwn(r.scopeName)}* taken by ${escapeMrkdwn(r.requesterId)} for ${formatDuration(r.durationSec)} — review by ${slackDate(r.breakGlass!.dueAt)}${overdue}`),
        actions(`elevate-home-bg:${r.id}`, [
          button({ text: 'Acknowledge', actionId: ACTIONS.acknowledgeBreakGlass, value: r.id, style: 'primary' }),
          button({ text: 'Flag', actionId: ACTIONS.flagBreakGlass, value: r.id, style: 'danger' }),
        ]),
      );
    }
  }
  blocks.push(divider(), context(`Ask for access with \`${command} <scope> <duration> <reason>\` or just \`${command}\`.`));
  return { type: 'home', blocks: capBlocks(blocks, SLACK_LIMITS.blocksPerView) };
}
