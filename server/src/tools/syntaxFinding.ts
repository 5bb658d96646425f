// Turns Nix's parse verdict into a Finding: Nix's byte-based position mapped to editor terms, ranged over the token.
import type { Finding } from '../base/finding';
import { LineIndex, type Span } from '../base/text';
import type { NixSyntaxResult } from './nixSyntax';

/**
 * The finding for a failed parse, or null when Nix accepted the text or could not be asked (the caller then falls
 * back to tree-sitter's approximate problems).
 */
export function syntaxFinding(result: NixSyntaxResult, text: string, file: string): Finding | null {
  if (result.status !== 'error') return null;
  const lines = new LineIndex(text);
  const start = nixPositionToOffset(text, result.line, result.column);
  // Nix puts "unexpected end of file" at the start of the last lexeme (just after the last token, or at a trailing
  // comment), which is where the missing `;`/`}` belongs and can be many lines above the real end of the file.
  const span = /unexpected end of file/.test(result.message) ? { start, end: start }
    : result.message === 'path has a trailing slash' ? pathBefore(text, start)
    : { start, end: tokenEnd(text, start) };
  return {
    file,
    range: lines.range(span),
    severity: 'error',
    source: 'nix',
    code: codeFor(result.message),
    message: readableMessage(result.message, text, lines),
  };
}

function codeFor(message: string): string {
  if (message.startsWith('syntax error')) return 'syntax';
  // Nix resolves variables while parsing, so this is certain, but other checkers may report it too and dedupe by code.
  if (message.startsWith('undefined variable')) return 'undefined-variable';
  return 'parse';
}

/** "attribute 'a' already defined at (string):1:3" names the other position in Nix's terms; say it in the editor's. */
function readableMessage(message: string, text: string, lines: LineIndex): string {
  return message.replace(/\bat (?:«(?:stdin|string)»|\((?:stdin|string)\)):(\d+):(\d+)/g, (_m, l: string, c: string) => {
    const p = lines.position(nixPositionToOffset(text, Number(l), Number(c)));
    return `at line ${p.line + 1}, column ${p.character + 1}`;
  });
}

/**
 * Nix's 1-based line and column to a UTF-16 offset. Nix ends a line at LF, CR or CRLF and counts columns in bytes of
 * the UTF-8 it was given (a lone surrogate was sent as the 3-byte U+FFFD). Past the end of a line clamps to its end.
 */
export function nixPositionToOffset(text: string, line: number, column: number): number {
  let i = 0;
  for (let l = 1; l < line && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) l++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      l++;
    }
  }
  let bytes = column - 1;
  while (bytes > 0 && i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    bytes -= c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    i += pair ? 2 : 1;
  }
  return i;
}

// Nix's lexer rules, most specific first, so an offending token is ranged as Nix saw it.
const TOKENS: readonly RegExp[] = [
  /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y, // URI
  /[a-zA-Z0-9._\-+]*(?:\/[a-zA-Z0-9._\-+]+)+\/?/y, // path, also with the trailing slash Nix rejects
  /~(?:\/[a-zA-Z0-9._\-+]+)+\/?/y, // home path
  /<[a-zA-Z0-9._\-+]+(?:\/[a-zA-Z0-9._\-+]+)*>/y, // search path
  /[a-zA-Z_][a-zA-Z0-9_'-]*/y, // identifier or keyword
  /(?:[1-9][0-9]*|0)?\.[0-9]+(?:[Ee][+-]?[0-9]+)?|[0-9]+/y, // number
  /\.\.\.|\$\{|''|==|!=|<=|>=|&&|\|\||->|\/\/|\+\+|\|>|<\|/y, // multi-character punctuation and string starts
];

/** Nix 2.8 reports a trailing-slash path just after it (at whatever token follows), so range back over the path. */
function pathBefore(text: string, at: number): Span {
  if (text[at - 1] !== '/') return { start: at, end: tokenEnd(text, at) };
  let start = at;
  while (start > 0 && /[a-zA-Z0-9._\-+/~]/.test(text[start - 1] ?? '')) start--;
  return { start, end: at };
}

function tokenEnd(text: string, start: number): number {
  if (start >= text.length || /\s/.test(text[start] ?? '')) return start;
  for (const re of TOKENS) {
    re.lastIndex = start;
    if (re.test(text)) return re.lastIndex;
  }
  const c = text.charCodeAt(start);
  return start + (c >= 0xd800 && c <= 0xdbff && start + 1 < text.length ? 2 : 1);
}
