// Values of the static evaluator: Nix values plus `opaque` (something from outside the repo) and `unknown`.
import type { Span } from '../../base/text';
import type { Expr, ExprOf } from '../../syntax/ast';

export type SystemKind = 'nixos' | 'home-manager' | 'darwin';

export type Value =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'string'; v: string }
  /** A workspace-relative path (`''` is the root), or `abs` for one outside the workspace. */
  | { t: 'path'; v: string; abs?: boolean }
  | { t: 'list'; items: Thunk[] }
  /** `partial`: some keys could not be computed, so a missing key is unknown rather than absent. */
  /** `origin`: the attrset literal it came from, when it is one (inline modules are located by it). */
  /** `flake`: the flake's own outputs (`self`, `self.outputs`): selecting from it is reading a flake output. */
  | { t: 'attrs'; attrs: Map<string, Thunk>; partial?: boolean; fallback?: Value; origin?: { file: string; span: Span }; flake?: boolean }
  | { t: 'lambda'; fn: ExprOf<'lambda'>; env: Env; file: string }
  | { t: 'builtin'; name: string; arity: number; args: Thunk[]; impl: BuiltinImpl }
  /** A flake input or anything selected from one: external, so never a file of ours. */
  | { t: 'opaque'; path: string[] }
  /** What `nixosSystem`, `darwinSystem` or `homeManagerConfiguration` returns: the arguments it was given. */
  | { t: 'system'; kind: SystemKind; args: Thunk; builder: string; extraRefs?: string[] }
  | { t: 'unknown'; reason: string };

export type BuiltinImpl = (args: Thunk[], ctx: CallContext) => Value;

/** What a builtin needs from the evaluator without importing it (keeps builtins.ts free of a cycle). */
export interface CallContext {
  force(t: Thunk): Value;
  /** `asModule`: a module applied to its arguments by a module system, not a call written in Nix. */
  apply(fn: Value, arg: Thunk, asModule?: boolean): Value;
  importPath(path: Value): Value;
  readDir(dir: string): Map<string, 'regular' | 'directory' | 'symlink'> | null;
  readText(file: string): string | null;
  listFiles(dir: string): string[];
  exists(path: string): boolean;
  record(path: string): void;
  /** Marks an argument a known-false condition ruled out (`optional false ./x.nix`). */
  prune(t: Thunk): void;
}

/** A lazily evaluated expression; `deps` remembers the file references its evaluation made, to replay on reuse. */
export interface Thunk {
  /** `inherit (from) name;` is a thunk that selects lazily, so inheriting never forces `from` early. */
  select?: { from: Thunk; name: string };
  /** A lazy call (`mapAttrs f set` yields one per attribute), evaluated on first force. */
  call?: { fn: Thunk; args: Thunk[] };
  expr: Expr | null;
  env: Env | null;
  file: string;
  value: Value | null;
  forcing: boolean;
  deps: Set<string> | null;
}

export interface Env {
  vars: Map<string, Thunk> | null;
  /** A `with` scope: looked up only after every lexical scope missed, innermost first (like Nix). */
  with: Thunk | null;
  parent: Env | null;
}

export function ready(value: Value, file = ''): Thunk {
  return { expr: null, env: null, file, value, forcing: false, deps: null };
}

export function lazy(expr: Expr, env: Env, file: string): Thunk {
  return { expr, env, file, value: null, forcing: false, deps: null };
}

export function selecting(from: Thunk, name: string): Thunk {
  return { select: { from, name }, expr: null, env: null, file: from.file, value: null, forcing: false, deps: null };
}

export function calling(fn: Thunk, ...args: Thunk[]): Thunk {
  return { call: { fn, args }, expr: null, env: null, file: fn.file, value: null, forcing: false, deps: null };
}

export const unknown = (reason: string): Value => ({ t: 'unknown', reason });
export const NULL: Value = { t: 'null' };
export const str = (v: string): Value => ({ t: 'string', v });
export const bool = (v: boolean): Value => ({ t: 'bool', v });
export type AttrsValue = Extract<Value, { t: 'attrs' }>;
export const attrsOf = (entries: Iterable<[string, Thunk]>, partial = false): AttrsValue =>
  ({ t: 'attrs', attrs: new Map(entries), partial });
export const listOf = (items: Thunk[]): Value => ({ t: 'list', items });

export function describe(v: Value): string {
  switch (v.t) {
    case 'unknown': return `unknown (${v.reason})`;
    case 'opaque': return v.path.join('.');
    case 'string': return JSON.stringify(v.v);
    case 'path': return v.abs ? v.v : `./${v.v}`;
    default: return v.t;
  }
}
