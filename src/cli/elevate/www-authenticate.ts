/**
 * One challenge of a `WWW-Authenticate` header (RFC 9110 §11.6.1, formerly RFC 7235 §4.1): its
 * auth-scheme and either its auth-params (names lower-cased, quoted-string values unquoted) or a
 * token68.
 */
export interface AuthChallenge {
  /** As sent; compare case-insensitively (`Bearer`, `bearer`). */
  scheme: string;
  params: Readonly<Record<string, string>>;
  token68?: string;
}

// tchar (RFC 9110 §5.6.2) and token68 (§11.2).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/**
 * Parses a `WWW-Authenticate` value into its challenges:
 *
 *     challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *     auth-param  = token BWS "=" BWS ( token / quoted-string )
 *
 * with challenges and parameters in one comma-separated list (empty elements allowed), so a new
 * challenge starts where a token is not followed by "=". Several headers joined by fetch's
 * `Headers` (", ") parse the same way. A parameter given twice in one challenge keeps its first
 * value. At the first malformed spot (an unterminated quoted string, a stray character) parsing
 * stops: the challenges completed before it are returned, the broken one is not.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  const reader = new Reader(header);
  for (;;) {
    reader.skipListSeparators();
    if (reader.done()) return challenges;
    const scheme = reader.take(TOKEN);
    if (scheme === null) return challenges;
    const challenge: { scheme: string; params: Record<string, string>; token68?: string } = { scheme, params: {} };
    if (!reader.skipSpaces()) {
      // Nothing after the scheme but the end or a comma: a challenge without parameters.
      if (reader.done() || reader.peek() === ',') {
        challenges.push(challenge);
        continue;
      }
      return challenges;
    }
    const token68 = reader.token68();
    if (token68 !== null) {
      challenge.token68 = token68;
      challenges.push(challenge);
      continue;
    }
    if (!readParams(reader, challenge.params)) return challenges;
    challenges.push(challenge);
  }
}

/**
 * The auth-params of one challenge, up to the comma before the next challenge's scheme (or the
 * end). False when they are malformed.
 */
function readParams(reader: Reader, params: Record<string, string>): boolean {
  for (;;) {
    // Only right after the scheme: a scheme followed by spaces and then nothing, or a comma.
    if (!reader.atParam()) return reader.done() || reader.peek() === ',';
    const name = reader.take(TOKEN)!.toLowerCase();
    reader.skipWhitespace();
    reader.expect('=');
    reader.skipWhitespace();
    const value = reader.peek() === '"' ? reader.quotedString() : reader.take(TOKEN);
    if (value === null) return false;
    if (!(name in params)) params[name] = value;
    reader.skipWhitespace();
    if (reader.done()) return true;
    if (reader.peek() !== ',') return false;
    // After the comma(s): another parameter of this challenge, or the next challenge.
    const mark = reader.position;
    reader.skipListSeparators();
    if (reader.done()) return true;
    if (!reader.atParam()) {
      reader.position = mark;
      return true;
    }
  }
}

/** A cursor over the header text. */
class Reader {
  position = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  take(pattern: RegExp): string | null {
    const match = pattern.exec(this.text.slice(this.position));
    if (!match) return null;
    this.position += match[0].length;
    return match[0];
  }

  expect(char: string): void {
    if (this.peek() === char) this.position++;
  }

  /** Spaces and tabs; true when there was at least one. */
  skipSpaces(): boolean {
    const start = this.position;
    this.skipWhitespace();
    return this.position > start;
  }

  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
  }

  /** Commas and the whitespace around them (empty list elements are allowed, RFC 9110 §5.6.1). */
  skipListSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.position++;
  }

  /** True when a `token BWS "="` starts here (and the "=" is not the padding of a token68). */
  atParam(): boolean {
    const rest = this.text.slice(this.position);
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=(?!=)/.test(rest) && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=[ \t]*(?:,|$)/.test(rest);
  }

  /** A token68 that makes up the whole rest of the challenge (followed by the end or a comma). */
  token68(): string | null {
    if (this.atParam()) return null;
    const rest = this.text.slice(this.position);
    const match = TOKEN68.exec(rest);
    if (!match || !/^[ \t]*(?:,|$)/.test(rest.slice(match[0].length))) return null;
    this.position += match[0].length;
    return match[0];
  }

  /** `DQUOTE *( qdtext / quoted-pair ) DQUOTE`, unescaped; null when it is not terminated. */
  quotedString(): string | null {
    let value = '';
    for (let i = this.position + 1; i < this.text.length; i++) {
      const char = this.text[i]!;
      if (char === '"') {
        this.position = i + 1;
        return value;
      }
      if (char === '\\') {
        i++;
        if (i >= this.text.length) return null;
        value += this.text[i];
        continue;
      }
      value += char;
    }
    return null;
  }
}
