// agenix consistency across the fleet: modules' `age.secrets.<n>.file` against the registry (`secrets.nix`) and the
// `.age` files on disk, and each registered secret's `publicKeys` against the hosts that use it. Findings go on both
// sides (the module's path and the registry's key) and name the hosts involved.
import type { Finding, Severity } from '../base/finding';
import { dirname, resolveFrom } from '../base/paths';
import type { Span } from '../base/text';
import { calleeName, callArgs, lineIndexOf, staticKeys } from '../index/astQueries';
import { mayMention } from '../index/optionIndex';
import { REGISTRY_FILES, registryEntries, secretName } from '../index/secretsRegistry';
import type { IndexSnapshot } from '../index/workspaceIndex';
import type { Expr } from '../syntax/ast';
import type { ParsedFile } from '../syntax/parsedFile';
import { literalText, walk } from '../syntax/walk';
import { hostnameOf } from './hostNames';
import { keysOf, type Registry } from './secretKeys';

interface SecretUse { file: string; secret: string; target: string; span: Span }

const usesCache = new WeakMap<ParsedFile, SecretUse[]>();

/** `age.secrets.<n>.file = ./path.age;` in one module, with the path resolved against the module's folder. */
/** Whether `file` takes part in the agenix checks: the registry, or a module that points a secret at an `.age` file. */
export function touchesSecrets(file: string, parsed: ParsedFile): boolean {
  return (REGISTRY_FILES as readonly string[]).includes(file) || secretUses(file, parsed).length > 0;
}

function secretUses(file: string, parsed: ParsedFile): SecretUse[] {
  let uses = usesCache.get(parsed);
  if (!uses) {
    uses = [];
    if (mayMention(parsed.text, ['age', 'secrets', 'file'])) {
      for (const { secret, value } of secretFileDefs(parsed.ast)) {
        const literal = value.kind === 'path' ? literalText(value) : null;
        const target = literal === null ? null : resolveFrom(dirname(file), literal);
        if (target) uses.push({ file, secret, target, span: value.span });
      }
    }
    usesCache.set(parsed, uses);
  }
  return uses;
}

/**
 * Every `age.secrets.<n>.file` definition, however the attribute path is split across nested sets (also under
 * `config.` and through `mkIf`/`mkMerge`/`mkDefault`), wherever the module puts it.
 */
function secretFileDefs(ast: Expr): { secret: string; value: Expr }[] {
  const out: { secret: string; value: Expr }[] = [];
  const prefixes = new Map<Expr, string[]>();
  const nested = (value: Expr, path: string[]): void => {
    if (value.kind === 'attrs') prefixes.set(value, path);
    else if (value.kind === 'list') for (const item of value.items) nested(item, path);
    else if (value.kind === 'apply' && WRAPPERS.has(calleeName(value)?.name ?? '')) nested(callArgs(value).pop()!, path);
  };
  walk(ast, (e) => {
    if (e.kind !== 'attrs') return;
    const prefix = prefixes.get(e) ?? [];
    for (const b of e.bindings) {
      const keys = staticKeys(b.path);
      if (keys.length !== b.path.length) continue;
      const path = [...prefix, ...keys.map((k) => k.name)];
      const opt = path[0] === 'config' ? path.slice(1) : path;
      const secret = secretName(opt);
      if (secret && opt.length === 4 && opt[3] === 'file') out.push({ secret, value: b.value });
      else nested(b.value, path);
    }
  });
  return out;
}

const WRAPPERS = new Set(['mkIf', 'mkMerge', 'mkDefault', 'mkForce', 'mkOverride']);

function findRegistry(snap: IndexSnapshot): Registry | null {
  for (const file of REGISTRY_FILES) {
    const parsed = snap.parsed(file);
    if (!parsed || parsed.problems.length > 0) continue;
    const entries = registryEntries(parsed, file);
    if (entries.length > 0) return keysOf(file, parsed, entries);
  }
  return null;
}

export function secretFindings(snap: IndexSnapshot): Finding[] {
  const registry = findRegistry(snap);
  if (!registry) return [];
  const out: Finding[] = [];
  const regLines = lineIndexOf(registry.parsed);
  const onRegistry = (span: Span, severity: Severity, code: string, message: string) =>
    out.push({ file: registry.file, range: regLines.range(span), severity, source: 'hostlens', code, message });
  const byTarget = new Map(registry.entries.map((e) => [e.target, e]));

  const uses: SecretUse[] = [];
  for (const file of snap.files.files) {
    if (!file.endsWith('.nix') || file === registry.file) continue;
    const parsed = snap.parsed(file);
    if (parsed) uses.push(...secretUses(file, parsed));
  }
  const usersOf = new Map<string, { use: SecretUse; hosts: string[] }[]>();
  for (const use of uses) {
    const hosts = snap.hostsOf(use.file);
    usersOf.set(use.target, [...(usersOf.get(use.target) ?? []), { use, hosts }]);
    if (!snap.files.exists(use.target)) continue; // a missing file is already a missing-file error on this path
    const lines = lineIndexOf(snap.parsed(use.file)!);
    const at = (severity: Severity, code: string, message: string) =>
      out.push({ file: use.file, range: lines.range(use.span), severity, source: 'hostlens', code, message });
    const entry = byTarget.get(use.target);
    if (!entry) {
      at('error', 'secret-not-registered', `${use.target} is not registered in ${registry.file}${hosts.length ? `: agenix cannot encrypt it for ${hosts.join(', ')}` : ''}`);
      continue;
    }
    const locked = hosts.filter((h) => lacksKey(snap, registry, entry.leaves, h));
    if (locked.length > 0) {
      at('error', 'secret-key-missing', `${locked.join(', ')} cannot decrypt ${use.target}: the publicKeys of "${entry.name}" in ${registry.file} do not include ${locked.length === 1 ? 'its key' : 'their keys'}`);
    }
  }

  const anyHostUnresolved = snap.flake.unresolved.length > 0 || snap.flake.hosts.some((h) => h.notes.length > 0);
  for (const entry of registry.entries) {
    for (const u of entry.undefinedNames) {
      onRegistry(u.span, 'error', 'undefined-public-key', `publicKeys of "${entry.name}" name '${u.name}', which ${registry.file} does not define`);
    }
    if (!entry.target) continue;
    const users = usersOf.get(entry.target) ?? [];
    const hosts = [...new Set(users.flatMap((u) => u.hosts))].sort();
    if (!snap.files.exists(entry.target)) {
      onRegistry(entry.keySpan, 'error', 'secret-missing', `${entry.target} does not exist${hosts.length ? ` (used by ${hosts.join(', ')})` : ''}`);
      continue;
    }
    const locked = hosts.filter((h) => lacksKey(snap, registry, entry.leaves, h));
    if (locked.length > 0) {
      const where = [...new Set(users.filter((u) => u.hosts.some((h) => locked.includes(h))).map((u) => u.use.file))].join(', ');
      onRegistry(entry.keySpan, 'error', 'secret-key-missing', `${entry.target} is used by ${locked.join(', ')} (${where}), but its publicKeys do not include ${locked.length === 1 ? 'that host\'s key' : 'their keys'}`);
    }
    if (hosts.length === 0 && !anyHostUnresolved && snap.flake.hosts.length > 0) {
      onRegistry(entry.keySpan, 'information', 'secret-unused', `${entry.target} is not used by any host`);
    }
  }

  for (const file of snap.files.files) {
    if (!file.endsWith('.age') || byTarget.has(file)) continue;
    const hosts = [...new Set((usersOf.get(file) ?? []).flatMap((u) => u.hosts))].sort();
    out.push({
      file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning', source: 'hostlens',
      code: 'secret-unregistered', message: `${file} is not registered in ${registry.file}${hosts.length ? ` (used by ${hosts.join(', ')})` : ''}`,
    });
  }
  return out;
}

/**
 * Whether `host` has a key in the registry that the entry's publicKeys leave out. A host without any key there (a
 * Home Manager user, a host keyed by some other name) and publicKeys Hostlens cannot read are not judged.
 */
function lacksKey(snap: IndexSnapshot, registry: Registry, leaves: ReadonlySet<string> | null, host: string): boolean {
  if (!leaves) return false;
  const def = snap.flake.hosts.find((h) => h.name === host);
  if (!def || def.kind !== 'nixos') return false;
  const keys = registry.hostKeys(host, hostnameOf(def));
  return keys.length > 0 && !keys.some((k) => leaves.has(k));
}
