// Deterministic YAML text for generated CI files: block style, literal blocks for scripts, quoting only where YAML
// would otherwise read a string as something else. No dependency ships for it; tests parse the output with `yaml`.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** `# …` lines, then the document. Key order is the object's insertion order, so the output is stable. */
export function yamlText(doc: { [key: string]: YamlValue }, headerComment: readonly string[] = []): string {
  const header = headerComment.map((l) => (l ? `# ${l}` : '#')).join('\n');
  const body = mapping(doc, 0);
  return `${header ? `${header}\n` : ''}${body}\n`;
}

const pad = (n: number) => ' '.repeat(n);

function mapping(m: { [key: string]: YamlValue }, indent: number): string {
  const entries = Object.entries(m);
  if (entries.length === 0) return `${pad(indent)}{}`;
  return entries.map(([k, v]) => `${pad(indent)}${key(k)}:${nested(v, indent)}`).join('\n');
}

function sequence(items: YamlValue[], indent: number): string {
  if (items.length === 0) return `${pad(indent)}[]`;
  return items.map((v) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      // The first key shares the dash's line; the rest line up under it.
      const inner = mapping(v, indent + 2);
      return `${pad(indent)}- ${inner.slice(indent + 2)}`;
    }
    if (Array.isArray(v) && v.length > 0) return `${pad(indent)}-\n${sequence(v, indent + 2)}`;
    return `${pad(indent)}-${nested(v, indent)}`;
  }).join('\n');
}

/** What follows `key:` or `-`: a scalar on the same line, a collection or a literal block on the next lines. */
function nested(v: YamlValue, indent: number): string {
  if (isMap(v)) return Object.keys(v).length ? `\n${mapping(v, indent + 2)}` : ' {}';
  if (Array.isArray(v)) return v.length ? `\n${sequence(v, indent + 2)}` : ' []';
  if (typeof v === 'string' && v.includes('\n')) return ` ${literal(v, indent + 2)}`;
  return ` ${scalar(v)}`;
}

function isMap(v: YamlValue): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A `|` block keeps a script byte for byte. Trailing spaces, a blank or indented first line, several trailing
 * newlines and carriage returns do not survive a plain `|` block, so such text falls back to a double-quoted scalar.
 */
function literal(s: string, indent: number): string {
  const lines = s.replace(/\n+$/, '').split('\n');
  const unsafe = s.includes('\r') || /^[ \t\n]/.test(s) || /\n\n$/.test(s) || lines.some((l) => /[ \t]$/.test(l))
    || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(s);
  if (unsafe) return JSON.stringify(s);
  const trailing = s.endsWith('\n') ? '' : '-';
  return `|${trailing}\n${lines.map((l) => (l === '' ? '' : `${pad(indent)}${l}`)).join('\n')}`;
}

/** Words YAML 1.1 or 1.2 would read as booleans or null (act and GitHub use different YAML versions). */
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBER_LIKE = /^[-+.]?(?:\d|\.(?:inf|nan)$)/i;
/**
 * Plain scalars that every YAML reader takes as the same string: no indicator first, no flow brackets, no `: `, no `#`
 * after a space (a comment), no edge spaces.
 */
const PLAIN = /^[A-Za-z_/.][\w@/.()'"=!&|,+#$*<>%;-]*(?: [\w@/.()'"=!&|,+$*<>%;-][\w@/.()'"=!&|,+#$*<>%;-]*)*$/;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (PLAIN.test(v) && !RESERVED.test(v) && !NUMBER_LIKE.test(v) && !v.includes(': ')) return v;
  // Single quotes keep `"` and `\` readable; they cannot carry control characters, which JSON escapes.
  if (/["\\]/.test(v) && !/[\u0000-\u001f\u007f]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
  return JSON.stringify(v);
}

/** Keys: `on` stays plain (every workflow reader takes the `on:` key as a string); anything odd is quoted. */
function key(k: string): string {
  if (k === 'on') return k;
  return /^[A-Za-z_][\w-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}
