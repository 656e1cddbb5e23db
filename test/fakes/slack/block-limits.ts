/**
 * The Block Kit limits the real Slack API enforces on what we send, checked the way Slack
 * reports them: a list of `[ERROR] … [json-pointer:…]` strings (empty when the payload is fine).
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  actionsElements: 25,
  contextElements: 10,
  messageText: 40_000,
} as const;

type Json = Record<string, unknown>;

export function blockErrors(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ['[ERROR] must be an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  if (blocks.length > maxBlocks) errors.push(`[ERROR] no more than ${maxBlocks} items allowed [json-pointer:/blocks]`);
  blocks.forEach((block: Json, index) => {
    const at = `/blocks/${index}`;
    const textOf = (value: unknown) => ((value as Json | undefined)?.text as string | undefined) ?? '';
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
        if (textOf(block.text).length > LIMITS.sectionText) errors.push(`[ERROR] must be less than ${LIMITS.sectionText + 1} characters [json-pointer:${at}/text/text]`);
        const fields = (block.fields as unknown[] | undefined) ?? [];
        if (fields.length > LIMITS.sectionFields) errors.push(`[ERROR] no more than ${LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`);
        fields.forEach((field, i) => {
          if (textOf(field).length > LIMITS.sectionField) errors.push(`[ERROR] must be less than ${LIMITS.sectionField + 1} characters [json-pointer:${at}/fields/${i}/text]`);
        });
        break;
      }
      case 'header':
        if (textOf(block.text).length > LIMITS.headerText) errors.push(`[ERROR] must be less than ${LIMITS.headerText + 1} characters [json-pointer:${at}/text/text]`);
        break;
      case 'context': {
        const elements = (block.elements as unknown[] | undefined) ?? [];
        if (elements.length > LIMITS.contextElements) errors.push(`[ERROR] no more than ${LIMITS.contextElements} items allowed [json-pointer:${at}/elements]`);
        elements.forEach((element, i) => {
          if (textOf(element).length > LIMITS.sectionText) errors.push(`[ERROR] must be less than ${LIMITS.sectionText + 1} characters [json-pointer:${at}/elements/${i}/text]`);
        });
        break;
      }
      case 'actions': {
        const elements = (block.elements as Json[] | undefined) ?? [];
        if (elements.length > LIMITS.actionsElements) errors.push(`[ERROR] no more than ${LIMITS.actionsElements} items allowed [json-pointer:${at}/elements]`);
        elements.forEach((element, i) => {
          if (textOf(element.text).length > LIMITS.buttonText) errors.push(`[ERROR] must be less than ${LIMITS.buttonText + 1} characters [json-pointer:${at}/elements/${i}/text/text]`);
        });
        break;
      }
      case 'divider':
      case 'input':
      case 'rich_text':
        break;
      default:
        errors.push(`[ERROR] unsupported type: ${String(block.type)} [json-pointer:${at}/type]`);
    }
  });
  return errors;
}
