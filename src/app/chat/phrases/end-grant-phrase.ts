import type { EndGrantResult } from '../../revoke-claimed-grants.ts';
import { code, icon, text, type Phrase } from './parts.ts';

/** What a person is told after asking to end a grant, for each outcome. */
export function endGrantPhrase(result: EndGrantResult): Phrase {
  const id = code(result.grant.id);
  switch (result.kind) {
    case 'revoked':
      return [icon('lock'), text(' Grant '), id, text(' has ended; its token is revoked.')];
    case 'revocation_pending':
      return [icon('ending'), text(' Grant '), id, text(' is ending; the authorization server has not confirmed yet and I keep retrying.')];
    case 'unchanged':
      return [text('Grant '), id, text(' was not active, so there was nothing to end.')];
  }
}
