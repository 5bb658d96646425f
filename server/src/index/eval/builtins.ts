// The builtins and nixpkgs `lib` functions the evaluator understands, and the system builders that make hosts.
import { basename, dirname } from '../../base/paths';
import { equal } from './equal';
import { eachDefaultSystem, eachSystemFn, flakePartsMkFlake, snowfallMkFlake } from './frameworks';
import { deepUpdate, fn, type Impl } from './kit';
import { QUALIFIED_LIB, extendOf } from './libExtras';
import { NULL, attrsOf, bool, calling, listOf, ready, str, unknown, type CallContext, type SystemKind, type Thunk, type Value } from './values';

function force(c: CallContext, t: Thunk | undefined): Value { return t ? c.force(t) : unknown('missing argument'); }
function list(c: CallContext, t: Thunk | undefined): Thunk[] | null { const v = force(c, t); return v.t === 'list' ? v.items : null; }
function attrs(c: CallContext, t: Thunk | undefined): Extract<Value, { t: 'attrs' }> | null {
  const v = force(c, t);
  return v.t === 'attrs' ? v : null;
}
function string(c: CallContext, t: Thunk | undefined): string | null {
  const v = force(c, t);
  return v.t === 'string' ? v.v : v.t === 'path' && !v.abs ? v.v : null;
}
const sortedEntries = (v: Extract<Value, { t: 'attrs' }>) => [...v.attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** `optional`-like: with a known false condition the value is dropped (and its paths pruned); otherwise kept. */
function conditional(whenFalse: () => Value, whenTrue: Impl): Impl {
  return (a, c) => {
    const cond = force(c, a[0]);
    if (cond.t === 'bool' && !cond.v) { if (a[1]) c.prune(a[1]); return whenFalse(); }
    return whenTrue(a, c);
  };
}

const identity = (a: Thunk[], c: CallContext) => force(c, a[a.length - 1]);

function mapList(c: CallContext, f: Thunk | undefined, l: Thunk | undefined): Value {
  const items = list(c, l);
  return items && f ? listOf(items.map((i) => calling(f, i))) : unknown('map over unknown');
}

function keepIf(c: CallContext, pred: Thunk, ...args: Thunk[]): boolean {
  const v = c.force(calling(pred, ...args));
  return !(v.t === 'bool' && !v.v); // unknown keeps: never drop what might be there
}

function listToAttrs(c: CallContext, t: Thunk | undefined): Value {
  const items = list(c, t);
  if (!items) return unknown('listToAttrs of unknown');
  const out = new Map<string, Thunk>();
  let partial = false;
  for (const item of items) {
    const pair = attrs(c, item);
    const name = pair ? string(c, pair.attrs.get('name')) : null;
    const value = pair?.attrs.get('value');
    if (name === null || !value) { partial = true; continue; }
    if (!out.has(name)) out.set(name, value);
  }
  return attrsOf(out, partial);
}

function readFile(c: CallContext, t: Thunk | undefined): Value {
  const p = force(c, t);
  if (p.t !== 'path' || p.abs) return unknown('file contents');
  c.record(p.v);
  const text = c.readText(p.v);
  return text === null ? unknown('file contents') : str(text);
}

/** JSON to evaluator values; malformed JSON is unknown (Nix would fail, which is not ours to report here). */
function fromJson(text: string): Value {
  const convert = (j: unknown): Value => {
    if (j === null) return NULL;
    if (typeof j === 'boolean') return bool(j);
    if (typeof j === 'number') return Number.isInteger(j) ? { t: 'int', v: j } : { t: 'float', v: j };
    if (typeof j === 'string') return str(j);
    if (Array.isArray(j)) return listOf(j.map((x) => ready(convert(x))));
    return attrsOf(Object.entries(j as Record<string, unknown>).map(([k, v]) => [k, ready(convert(v))]));
  };
  try { return convert(JSON.parse(text)); } catch { return unknown('malformed JSON'); }
}

function toStr(v: Value): string | null {
  switch (v.t) {
    case 'string': return v.v;
    case 'path': return v.abs ? v.v : `/${v.v}`;
    case 'int': case 'float': return String(v.v);
    case 'bool': return v.v ? '1' : '';
    case 'null': return '';
    default: return null;
  }
}

function foldl(a: Thunk[], c: CallContext): Value {
  const items = list(c, a[2]);
  if (!items) return unknown('fold of unknown');
  return items.reduce<Value>((acc, i) => c.force(calling(a[0]!, ready(acc), i)), force(c, a[1]));
}

const LIB: Record<string, Value> = {
  map: fn('map', 2, (a, c) => mapList(c, a[0], a[1])),
  forEach: fn('forEach', 2, (a, c) => mapList(c, a[1], a[0])),
  filter: fn('filter', 2, (a, c) => {
    const items = list(c, a[1]);
    return items ? listOf(items.filter((i) => keepIf(c, a[0]!, i))) : unknown('filter of unknown');
  }),
  concatMap: fn('concatMap', 2, (a, c) => {
    const items = list(c, a[1]);
    if (!items) return unknown('concatMap of unknown');
    return listOf(items.flatMap((i) => list(c, calling(a[0]!, i)) ?? []));
  }),
  concatLists: fn('concatLists', 1, (a, c) => listOf((list(c, a[0]) ?? []).flatMap((l) => list(c, l) ?? []))),
  flatten: fn('flatten', 1, (a, c) => {
    const flat = (t: Thunk): Thunk[] => { const v = c.force(t); return v.t === 'list' ? v.items.flatMap(flat) : [t]; };
    return a[0] ? listOf(flat(a[0])) : unknown('flatten');
  }),
  length: fn('length', 1, (a, c) => { const l = list(c, a[0]); return l ? { t: 'int', v: l.length } : unknown('length'); }),
  head: fn('head', 1, (a, c) => { const l = list(c, a[0]); return l?.[0] ? c.force(l[0]) : unknown('head'); }),
  last: fn('last', 1, (a, c) => { const l = list(c, a[0]); return l?.length ? c.force(l[l.length - 1]!) : unknown('last'); }),
  tail: fn('tail', 1, (a, c) => { const l = list(c, a[0]); return l ? listOf(l.slice(1)) : unknown('tail'); }),
  elemAt: fn('elemAt', 2, (a, c) => {
    const l = list(c, a[0]); const i = force(c, a[1]);
    return l && i.t === 'int' && l[i.v] ? c.force(l[i.v]!) : unknown('elemAt');
  }),
  elem: fn('elem', 2, (a, c) => {
    const x = force(c, a[0]); const l = list(c, a[1]);
    if (!l) return unknown('elem of unknown');
    let sure = true;
    for (const i of l) { const eq = equal(x, c.force(i)); if (eq) return bool(true); if (eq === null) sure = false; }
    return sure ? bool(false) : unknown('elem of unknowns');
  }),
  "foldl'": fn("foldl'", 3, foldl),
  foldl: fn('foldl', 3, foldl),
  foldr: fn('foldr', 3, (a, c) => {
    const items = list(c, a[2]);
    if (!items) return unknown('fold of unknown');
    return items.reduceRight<Value>((acc, i) => c.force(calling(a[0]!, i, ready(acc))), force(c, a[1]));
  }),
  genList: fn('genList', 2, (a, c) => {
    const n = force(c, a[1]);
    if (n.t !== 'int' || n.v > 10_000) return unknown('genList');
    return listOf(Array.from({ length: n.v }, (_, i) => calling(a[0]!, ready({ t: 'int', v: i }))));
  }),
  unique: fn('unique', 1, identity),
  attrNames: fn('attrNames', 1, (a, c) => {
    const s = attrs(c, a[0]);
    return s && !s.partial ? listOf(sortedEntries(s).map(([k]) => ready(str(k)))) : unknown('attrNames of unknown');
  }),
  attrValues: fn('attrValues', 1, (a, c) => {
    const s = attrs(c, a[0]);
    return s ? listOf(sortedEntries(s).map(([, v]) => v)) : unknown('attrValues of unknown');
  }),
  mapAttrs: fn('mapAttrs', 2, (a, c) => {
    const s = attrs(c, a[1]);
    return s ? attrsOf([...s.attrs].map(([k, v]) => [k, calling(a[0]!, ready(str(k)), v)]), s.partial) : unknown('mapAttrs of unknown');
  }),
  "mapAttrs'": fn("mapAttrs'", 2, (a, c) => {
    const s = attrs(c, a[1]);
    return s ? listToAttrs(c, ready(listOf([...s.attrs].map(([k, v]) => calling(a[0]!, ready(str(k)), v))))) : unknown('mapAttrs of unknown');
  }),
  mapAttrsToList: fn('mapAttrsToList', 2, (a, c) => {
    const s = attrs(c, a[1]);
    return s ? listOf(sortedEntries(s).map(([k, v]) => calling(a[0]!, ready(str(k)), v))) : unknown('mapAttrsToList of unknown');
  }),
  concatMapAttrs: fn('concatMapAttrs', 2, (a, c) => {
    const s = attrs(c, a[1]);
    if (!s) return unknown('concatMapAttrs of unknown');
    const out = new Map<string, Thunk>();
    let partial = !!s.partial;
    for (const [k, v] of sortedEntries(s)) {
      const r = c.force(calling(a[0]!, ready(str(k)), v));
      if (r.t === 'attrs') for (const [rk, rv] of r.attrs) out.set(rk, rv); else partial = true;
    }
    return attrsOf(out, partial);
  }),
  filterAttrs: fn('filterAttrs', 2, (a, c) => {
    const s = attrs(c, a[1]);
    return s ? attrsOf([...s.attrs].filter(([k, v]) => keepIf(c, a[0]!, ready(str(k)), v)), s.partial) : unknown('filterAttrs of unknown');
  }),
  genAttrs: fn('genAttrs', 2, (a, c) => {
    const names = list(c, a[0]);
    if (!names) return unknown('genAttrs over unknown names');
    const out: [string, Thunk][] = [];
    let partial = false;
    for (const n of names) {
      const name = string(c, n);
      if (name === null) partial = true; else out.push([name, calling(a[1]!, ready(str(name)))]);
    }
    return attrsOf(out, partial);
  }),
  listToAttrs: fn('listToAttrs', 1, (a, c) => listToAttrs(c, a[0])),
  nameValuePair: fn('nameValuePair', 2, (a) => attrsOf([['name', a[0]!], ['value', a[1]!]])),
  recursiveUpdate: fn('recursiveUpdate', 2, (a, c) => deepUpdate(c, force(c, a[0]), force(c, a[1]))),
  removeAttrs: fn('removeAttrs', 2, (a, c) => {
    const s = attrs(c, a[0]);
    const names = (list(c, a[1]) ?? []).map((n) => string(c, n));
    return s ? attrsOf([...s.attrs].filter(([k]) => !names.includes(k)), s.partial) : unknown('removeAttrs');
  }),
  hasAttr: fn('hasAttr', 2, (a, c) => {
    const n = string(c, a[0]); const s = attrs(c, a[1]);
    return n !== null && s && (s.attrs.has(n) || !s.partial) ? bool(s.attrs.has(n)) : unknown('hasAttr');
  }),
  getAttr: fn('getAttr', 2, (a, c) => {
    const n = string(c, a[0]); const s = attrs(c, a[1]); const t = n !== null ? s?.attrs.get(n) : undefined;
    return t ? c.force(t) : unknown('getAttr');
  }),
  intersectAttrs: fn('intersectAttrs', 2, (a, c) => {
    const l = attrs(c, a[0]); const r = attrs(c, a[1]);
    return l && r ? attrsOf([...r.attrs].filter(([k]) => l.attrs.has(k))) : unknown('intersectAttrs');
  }),
  optional: fn('optional', 2, conditional(() => listOf([]), (a) => listOf([a[1]!]))),
  optionals: fn('optionals', 2, conditional(() => listOf([]), identity)),
  optionalAttrs: fn('optionalAttrs', 2, conditional(() => attrsOf([]), identity)),
  optionalString: fn('optionalString', 2, conditional(() => str(''), identity)),
  mkIf: fn('mkIf', 2, conditional(() => attrsOf([]), identity)),
  mkMerge: fn('mkMerge', 1, (a, c) => {
    const items = list(c, a[0]);
    if (!items) return unknown('mkMerge of unknown');
    return items.reduce<Value>((acc, i) => deepUpdate(c, acc, c.force(i)), attrsOf([]));
  }),
  mkDefault: fn('mkDefault', 1, identity),
  mkForce: fn('mkForce', 1, identity),
  mkBefore: fn('mkBefore', 1, identity),
  mkAfter: fn('mkAfter', 1, identity),
  mkOverride: fn('mkOverride', 2, identity),
  mkOrder: fn('mkOrder', 2, identity),
  id: fn('id', 1, identity),
  const: fn('const', 2, (a, c) => force(c, a[0])),
  pipe: fn('pipe', 2, (a, c) => (list(c, a[1]) ?? []).reduce<Value>((acc, f) => c.apply(c.force(f), ready(acc)), force(c, a[0]))),
  seq: fn('seq', 2, identity),
  deepSeq: fn('deepSeq', 2, identity),
  trace: fn('trace', 2, identity),
  warn: fn('warn', 2, identity),
  throw: fn('throw', 1, () => unknown('throw')),
  abort: fn('abort', 1, () => unknown('abort')),
  import: fn('import', 1, (a, c) => c.importPath(force(c, a[0]))),
  importApply: fn('importApply', 2, (a, c) => c.apply(c.importPath(force(c, a[0])), a[1]!)),
  readDir: fn('readDir', 1, (a, c) => {
    const p = force(c, a[0]);
    const entries = p.t === 'path' && !p.abs ? c.readDir(p.v) : null;
    return entries ? attrsOf([...entries].map(([k, t]) => [k, ready(str(t))])) : unknown('readDir of an unknown directory');
  }),
  listFilesRecursive: fn('listFilesRecursive', 1, (a, c) => {
    const p = force(c, a[0]);
    if (p.t !== 'path' || p.abs) return unknown('listFilesRecursive of unknown');
    // Not recorded here: what a file is used for (`import`, an `imports` entry after a `hasSuffix ".nix"` filter, a
    // value) records it, so a README.md next to the modules is not a reference.
    return listOf(c.listFiles(p.v).map((f) => ready({ t: 'path', v: f })));
  }),
  pathExists: fn('pathExists', 1, (a, c) => {
    const p = force(c, a[0]);
    return p.t === 'path' && !p.abs ? bool(c.exists(p.v)) : unknown('pathExists');
  }),
  readFile: fn('readFile', 1, (a, c) => readFile(c, a[0])),
  fromJSON: fn('fromJSON', 1, (a, c) => { const s = force(c, a[0]); return s.t === 'string' ? fromJson(s.v) : unknown('fromJSON of unknown'); }),
  importJSON: fn('importJSON', 1, (a, c) => { const s = readFile(c, a[0]); return s.t === 'string' ? fromJson(s.v) : s; }),
  cleanSource: fn('cleanSource', 1, identity),
  toString: fn('toString', 1, (a, c) => { const s = toStr(force(c, a[0])); return s === null ? unknown('toString') : str(s); }),
  baseNameOf: fn('baseNameOf', 1, (a, c) => { const s = toStr(force(c, a[0])); return s === null ? unknown('baseNameOf') : str(basename(s)); }),
  dirOf: fn('dirOf', 1, (a, c) => {
    const p = force(c, a[0]);
    if (p.t === 'path' && !p.abs) return { t: 'path', v: dirname(p.v) };
    return p.t === 'string' ? str(dirname(p.v)) : unknown('dirOf');
  }),
  hasSuffix: stringTest('hasSuffix', (x, s) => s.endsWith(x)),
  hasPrefix: stringTest('hasPrefix', (x, s) => s.startsWith(x)),
  hasInfix: stringTest('hasInfix', (x, s) => s.includes(x)),
  removeSuffix: stringOp('removeSuffix', (x, s) => (s.endsWith(x) ? s.slice(0, s.length - x.length) : s)),
  removePrefix: stringOp('removePrefix', (x, s) => (s.startsWith(x) ? s.slice(x.length) : s)),
  concatStringsSep: fn('concatStringsSep', 2, (a, c) => {
    const sep = string(c, a[0]); const parts = (list(c, a[1]) ?? []).map((p) => toStr(c.force(p)));
    return sep === null || parts.some((p) => p === null) ? unknown('concatStringsSep') : str(parts.join(sep));
  }),
  splitString: fn('splitString', 2, (a, c) => {
    const sep = string(c, a[0]); const s = string(c, a[1]);
    return sep !== null && s !== null && sep !== '' ? listOf(s.split(sep).map((p) => ready(str(p)))) : unknown('splitString');
  }),
  isAttrs: typeTest('isAttrs', (v) => v.t === 'attrs'),
  isList: typeTest('isList', (v) => v.t === 'list'),
  isString: typeTest('isString', (v) => v.t === 'string'),
  isPath: typeTest('isPath', (v) => v.t === 'path'),
  isFunction: typeTest('isFunction', (v) => v.t === 'lambda' || v.t === 'builtin'),
  isBool: typeTest('isBool', (v) => v.t === 'bool'),
  isNull: typeTest('isNull', (v) => v.t === 'null'),
  typeOf: fn('typeOf', 1, (a, c) => {
    const v = force(c, a[0]);
    const names: Partial<Record<Value['t'], string>> = { attrs: 'set', lambda: 'lambda', builtin: 'lambda' };
    return v.t === 'unknown' || v.t === 'opaque' || v.t === 'system' ? unknown('typeOf') : str(names[v.t] ?? v.t);
  }),
};

function stringTest(name: string, test: (x: string, s: string) => boolean): Value {
  return fn(name, 2, (a, c) => {
    const x = string(c, a[0]); const s = string(c, a[1]);
    return x === null || s === null ? unknown(name) : bool(test(x, s));
  });
}
function stringOp(name: string, op: (x: string, s: string) => string): Value {
  return fn(name, 2, (a, c) => {
    const x = string(c, a[0]); const s = force(c, a[1]);
    return x === null || s.t !== 'string' ? unknown(name) : str(op(x, s.v));
  });
}
function typeTest(name: string, test: (v: Value) => boolean): Value {
  return fn(name, 1, (a, c) => {
    const v = force(c, a[0]);
    return v.t === 'unknown' || v.t === 'opaque' ? unknown(name) : bool(test(v));
  });
}

/** Names reachable without `builtins.` in every Nix file. */
const GLOBAL_NAMES = ['map', 'import', 'toString', 'baseNameOf', 'dirOf', 'removeAttrs', 'throw', 'abort', 'isNull'];

export function globalScope(): Map<string, Thunk> {
  const scope = new Map<string, Thunk>();
  for (const name of GLOBAL_NAMES) scope.set(name, ready(LIB[name]!));
  scope.set('true', ready(bool(true)));
  scope.set('false', ready(bool(false)));
  scope.set('null', ready(NULL));
  scope.set('builtins', ready({ t: 'opaque', path: ['builtins'] }));
  return scope;
}

/** A function of nixpkgs' `lib` or of `builtins` reached through an external value, e.g. `nixpkgs.lib.genAttrs`. */
export function libFunction(path: readonly string[], name: string): Value | null {
  const fromLib = path.some((p) => p === 'lib' || p === 'builtins' || p.endsWith('lib') || p.endsWith('Lib'));
  if (!fromLib) return null;
  const qualified = `${path[path.length - 1]}.${name}`;
  if (Object.prototype.hasOwnProperty.call(QUALIFIED_LIB, qualified)) return QUALIFIED_LIB[qualified]!;
  if (name === 'extend') return extendOf({ t: 'opaque', path: [...path] });
  return Object.prototype.hasOwnProperty.call(LIB, name) ? LIB[name]! : null;
}

const SYSTEM_BUILDERS: Record<string, SystemKind> = {
  nixosSystem: 'nixos',
  darwinSystem: 'darwin',
  homeManagerConfiguration: 'home-manager',
};

/** The builder a name stands for (`nixosSystem`, `darwinSystem`, `homeManagerConfiguration`, `mkFlake`), if any. */
export function systemBuilder(path: readonly string[]): Value | null {
  const name = path[path.length - 1] ?? '';
  const kind = SYSTEM_BUILDERS[name];
  if (kind) return fn(name, 1, (a) => ({ t: 'system', kind, args: a[0]!, builder: path.join('.') }));
  if (name === 'mkFlake') return path.some((p) => p.includes('snowfall')) ? snowfallMkFlake : flakePartsMkFlake;
  if (name === 'eachDefaultSystem') return eachDefaultSystem;
  if (name === 'eachSystem') return eachSystemFn;
  // `import "${nixpkgs}/nixos/lib/eval-config.nix" { modules = …; }` is nixosSystem without the wrapper.
  if (name.endsWith('/nixos/lib/eval-config.nix')) return systemBuilder(['nixosSystem']);
  return null;
}
