// C0 and C1 control characters (ESC among them) except none: a server's text is printed to a
// terminal, and an escape sequence in it could rewrite what the user sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text from the server or the authorization server, made safe to print on one line. */
export function safeText(value: unknown, maxLength = 500): string {
  const text = String(value ?? '').replace(CONTROL, ' ');
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
