export { beginSignIn, SIGN_IN_TTL_SEC, type PendingSignIn, type SignInDemand } from './begin-sign-in.ts';
export { completeSignIn, redeemSignIn, type CompletedSignIn } from './complete-sign-in.ts';
export { endWebSession } from './end-web-session.ts';
export { reauthenticateWebSession } from './reauthenticate-web-session.ts';
export { resumeWebSession, type ResumedWebSession } from './resume-web-session.ts';
export type { SignInSettings } from './sign-in-settings.ts';
