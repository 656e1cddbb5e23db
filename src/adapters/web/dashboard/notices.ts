import { html, type SafeHtml } from '../../../shared/html/html.ts';

/**
 * What a page says after a POST redirected to it (`?notice=<code>`): a closed list of fixed
 * sentences, so no text from a URL ever reaches a page. Codes not listed show nothing.
 */
const NOTICES = {
  signed_out: 'You are signed out.',
  requested: 'Your request is sent to its reviewers.',
  auto_denied: 'Your request was denied by policy; its reason is in the list below.',
  approved: 'Approved.',
  approval_recorded: 'Your approval is recorded; the request still needs approval from others.',
  break_glass_acknowledged: 'Acknowledged: the break-glass grant is marked as reviewed.',
  break_glass_flagged: 'Flagged: the break-glass grant is posted again for a closer look.',
  denied: 'Denied. The requester is told your reason.',
  cancelled: 'Your request is withdrawn.',
  ended: 'The grant is ended and its token revoked.',
  ending: 'The grant is ended; its token will be revoked as soon as the authorization server answers.',
  verified: 'Verified. Your token is issued.',
  extension_requested: 'Your extension request is sent to its reviewers.',
  mapping_added: 'The reviewer channel is mapped.',
  mapping_removed: 'The reviewer channel mapping is removed.',
  mapping_unchanged: 'That channel already reviews that scope; nothing changed.',
  mapping_absent: 'That mapping was already gone; nothing changed.',
} as const;

export type NoticeCode = keyof typeof NOTICES;

/** `/path?notice=code`: where a POST sends the browser after it succeeded. */
export function withNotice(path: `/${string}`, code: NoticeCode): `/${string}` {
  return `${path}${path.includes('?') ? '&' : '?'}notice=${code}`;
}

/** The notice a URL asks for, as a polite live region, or nothing. */
export function noticeOf(url: URL): SafeHtml | null {
  const code = url.searchParams.get('notice');
  if (code === null || !Object.hasOwn(NOTICES, code)) return null;
  return html`<p class="done" role="status">${NOTICES[code as NoticeCode]}</p>`;
}
