import type { PageRoute } from '../page-route.ts';
import { cancelRequestAction, endGrantAction, extendGrantAction, submitRequestAction, verifyRequestAction } from './access-actions.ts';
import { accessPage } from './access-page.ts';
import { revealTokenAction } from './reveal-token-action.ts';

/** My access: the page and its form actions. */
export const ACCESS_ROUTES: readonly PageRoute[] = [accessPage, submitRequestAction, cancelRequestAction, verifyRequestAction, revealTokenAction, endGrantAction, extendGrantAction];
