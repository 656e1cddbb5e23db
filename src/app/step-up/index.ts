export { beginStepUp, previewStepUp, type BeganStepUp, type StepUpPreview } from './begin-step-up.ts';
export { completeStepUp, type CompletedStepUp, type CompleteStepUpInput } from './complete-step-up.ts';
export { issueStepUpLink, type StepUpLink, type StepUpLinkInput } from './issue-step-up-link.ts';
export type { StepUpSettings } from './step-up-settings.ts';
export { verifyRequester, type VerifyRequesterInput } from './verify-requester.ts';
