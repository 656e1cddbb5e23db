/** Slack's documented limits for what we send (Block Kit reference, chat.postMessage). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionField: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  headerText: 150,
  buttonText: 75,
  messageText: 40_000,
  optionText: 75,
  optionsPerSelect: 100,
  viewTitle: 24,
  privateMetadata: 3000,
} as const;
