// A small lazy evaluator for the Nix that wires hosts together: enough of the language to follow modules and paths,
// answering `unknown` (never throwing) where static knowledge ends.
import { dirname, join, normalize } from '../../base/paths';
import type { Span } from '../../base/text';
import type { AttrKey, Binding, Expr, ExprOf, Inherit } from '../../syntax/ast';
import { globalScope, libFunction, systemBuilder } from './builtins';
import { binaryOp, union } from './operators';
import { calledMark, prunedMark, splitRecords, type Collected } from './collected';
import type { FileSet } from './fileSet';
import {
  attrsOf, bool, lazy, ready, selecting, str, unknown, type AttrsValue, type CallContext, type Env, type Thunk, type Value,
} from './values';

export interface EvalSources {
  /** The AST of a workspace `.nix` file, or null when it is absent or not indexed. */
  ast(file: string): Expr | null;
  /** The text of a small workspace file the scan read (Nix and JSON), for `readFile` and `importJSON`. */
  text(file: string): string | null;
  readonly files: FileSet;
}

class BudgetExhausted extends Error {}

export class Evaluator {
  private steps = 0;
  private readonly collectors: Set<string>[] = [];
  private readonly imports = new Map<string, Thunk>();
  private readonly global: Env;
  /** `self.x…` / `outputs.x…` selects (`file:offset`) this evaluator resolved against the flake's own outputs. */
  readonly outputSelects = new Set<string>();

  constructor(readonly sources: EvalSources, private readonly budget = 200_000) {
    this.global = { vars: globalScope(), with: null, parent: null };
  }

  /** Runs `fn`, returning its value and every file reference it made (see `Collected`); an exhausted budget yields unknown. */
  collect(fn: () => Value): Collected {
    const raw = new Set<string>();
    this.collectors.push(raw);
    let value: Value;
    try {
      value = fn();
    } catch (err) {
      if (err instanceof BudgetExhausted) value = unknown('evaluation budget exhausted');
      else if (err instanceof RangeError) value = unknown('nesting too deep');
      else throw err;
    } finally {
      this.collectors.pop();
      for (const r of raw) this.record(r);
    }
    return splitRecords(value, raw);
  }

  /** A known condition ruled this branch out. */
  private prune(file: string, span: Span): void {
    this.record(prunedMark(file, span));
  }

  record(ref: string): void {
    this.collectors[this.collectors.length - 1]?.add(ref);
  }

  force(t: Thunk): Value {
    if (t.value) {
      if (t.deps) for (const d of t.deps) this.record(d);
      return t.value;
    }
    if (t.forcing) return unknown('infinite recursion');
    t.forcing = true;
    const deps = new Set<string>();
    this.collectors.push(deps);
    try {
      if (t.expr && t.env) t.value = this.eval(t.expr, t.env, t.file);
      else if (t.select) t.value = this.selectThunk(t.select.from, t.select.name);
      else if (t.call) t.value = t.call.args.reduce((fn, arg) => this.apply(fn, arg), this.force(t.call.fn));
      else t.value = unknown('empty thunk');
    } finally {
      this.collectors.pop();
      t.forcing = false;
    }
    if (deps.size > 0) {
      t.deps = deps;
      for (const d of deps) this.record(d);
    }
    return t.value;
  }

  /** Files this evaluator has imported (evaluated as Nix), as opposed to paths it only built. */
  importedFiles(): Set<string> { return new Set(this.imports.keys()); }

  /** Evaluates a workspace file as `import` would; cached, so each file is evaluated once per evaluator. */
  importFile(file: string): Value {
    let t = this.imports.get(file);
    if (!t) {
      const ast = this.sources.ast(file);
      t = ast ? lazy(ast, this.global, file) : ready(unknown(`cannot read ${file}`));
      this.imports.set(file, t);
    }
    this.record(file);
    return this.force(t);
  }

  importPath(p: Value): Value {
    if (p.t === 'opaque') return systemBuilder(p.path) ?? { t: 'opaque', path: [...p.path, 'import'] };
    if (p.t !== 'path' || p.abs) return p.t === 'unknown' ? p : unknown(`import of ${p.t === 'path' ? p.v : p.t}`);
    const file = this.sources.files.isDir(p.v) ? join(p.v, 'default.nix') : p.v;
    return this.importFile(file);
  }

  /** `asModule`: the module system applies a module to its arguments (not a call written in Nix). */
  apply(fn: Value, arg: Thunk, asModule = false): Value {
    this.tick();
    switch (fn.t) {
      case 'lambda':
        // The function a file evaluates to, called from Nix code: that file is a helper, not a module.
        if (!asModule && fn.env.parent === null && fn.fn === this.sources.ast(fn.file)) this.record(calledMark(fn.file));
        return this.applyLambda(fn, arg);
      case 'builtin': {
        const args = [...fn.args, arg];
        if (args.length < fn.arity) return { ...fn, args };
        return fn.impl(args, this.context());
      }
      case 'opaque': {
        const builder = systemBuilder(fn.path);
        if (builder) return this.apply(builder, arg);
        const name = fn.path[fn.path.length - 1] ?? '';
        if (name === 'callPackage' || name === 'callPackages') {
          // nixpkgs is external, but the package file it calls is ours: evaluating the package reads it.
          const target = this.force(arg);
          if (target.t === 'path' && !target.abs) this.record(target.v);
        }
        return { t: 'opaque', path: [...fn.path, '()'] };
      }
      case 'attrs': {
        const functor = fn.attrs.get('__functor');
        return functor ? this.apply(this.apply(this.force(functor), ready(fn)), arg) : unknown('call of a set');
      }
      case 'unknown': return fn;
      default: return unknown(`call of a ${fn.t}`);
    }
  }

  private applyLambda(fn: Extract<Value, { t: 'lambda' }>, arg: Thunk): Value {
    const vars = new Map<string, Thunk>();
    const env: Env = { vars, with: null, parent: fn.env };
    if (fn.fn.param) vars.set(fn.fn.param.name, arg);
    if (fn.fn.formals) {
      const given = this.force(arg);
      for (const f of fn.fn.formals) {
        const supplied = given.t === 'attrs' && (given.attrs.has(f.name.name) || given.fallback) ? this.select(given, f.name.name) : undefined;
        if (supplied) vars.set(f.name.name, supplied);
        else if (f.default) vars.set(f.name.name, lazy(f.default, env, fn.file));
        else if (given.t === 'opaque') vars.set(f.name.name, ready({ t: 'opaque', path: [...given.path, f.name.name] }));
        else vars.set(f.name.name, ready(unknown(`argument ${f.name.name} not supplied`)));
      }
    }
    return this.eval(fn.fn.body, env, fn.file);
  }

  select(v: Value, name: string): Thunk | null {
    if (v.t === 'attrs') {
      const hit = v.attrs.get(name);
      if (hit) return hit;
      if (v.fallback) return this.select(v.fallback, name);
      return v.partial ? ready(unknown(`attribute ${name} of a partly known set`)) : null;
    }
    if (v.t === 'opaque') {
      return ready(libFunction(v.path, name) ?? systemBuilder([...v.path, name]) ?? { t: 'opaque', path: [...v.path, name] });
    }
    return ready(v.t === 'unknown' ? v : unknown(`select ${name} from ${v.t}`));
  }

  eval(e: Expr, env: Env, file: string): Value {
    this.tick();
    switch (e.kind) {
      case 'int': return { t: 'int', v: e.value };
      case 'float': return { t: 'float', v: e.value };
      case 'string': {
        const s = this.interpolate(e.parts, env, file);
        if (s !== null) return str(s);
        // "${nixpkgs}/nixos/lib/eval-config.nix": a path inside an input stays an (external) opaque value.
        const [head, ...rest] = e.parts;
        const base = head !== undefined && typeof head !== 'string' ? this.eval(head, env, file) : null;
        const suffix = this.interpolate(rest, env, file);
        return base?.t === 'opaque' && suffix !== null ? { t: 'opaque', path: [...base.path, suffix] } : unknown('string with unknown interpolation');
      }
      case 'path': return this.path(e, env, file);
      case 'spath': return { t: 'opaque', path: [`<${e.name}>`] };
      case 'uri': return str(e.value);
      case 'var': return this.lookup(e.name, env);
      case 'list': return { t: 'list', items: e.items.map((i) => lazy(i, env, file)) };
      case 'attrs': {
        const origin = { file, span: e.span };
        if (!e.rec) return { ...this.attrset(e.bindings, e.inherits, env, env, file), origin };
        const vars = new Map<string, Thunk>();
        const inner: Env = { vars, with: null, parent: env };
        const value = this.attrset(e.bindings, e.inherits, inner, env, file);
        for (const [k, v] of value.attrs) vars.set(k, v);
        return { ...value, origin };
      }
      case 'let': {
        const vars = new Map<string, Thunk>();
        const inner: Env = { vars, with: null, parent: env };
        const value = this.attrset(e.bindings, e.inherits, inner, env, file);
        for (const [k, v] of value.attrs) vars.set(k, v);
        return this.eval(e.body, inner, file);
      }
      case 'lambda': return { t: 'lambda', fn: e, env, file };
      case 'apply': return this.apply(this.eval(e.fn, env, file), lazy(e.arg, env, file));
      case 'select': return this.selectExpr(e, env, file);
      case 'hasAttr': {
        let cur = this.eval(e.expr, env, file);
        for (const key of e.path) {
          const name = this.keyName(key, env, file);
          if (name === null || cur.t === 'unknown' || cur.t === 'opaque') return unknown('hasAttr on unknown');
          if (cur.t !== 'attrs') return bool(false);
          const next = this.select(cur, name);
          if (!next) return bool(false);
          cur = this.force(next);
        }
        return bool(true);
      }
      case 'binary': return this.binary(e, env, file);
      case 'unary': {
        const v = this.eval(e.arg, env, file);
        if (e.op === '!') return v.t === 'bool' ? bool(!v.v) : unknown('negation of unknown');
        return v.t === 'int' || v.t === 'float' ? { ...v, v: -v.v } : unknown('minus of unknown');
      }
      case 'if': {
        const cond = this.eval(e.cond, env, file);
        if (cond.t === 'bool') {
          this.prune(file, (cond.v ? e.else : e.then).span);
          return this.eval(cond.v ? e.then : e.else, env, file);
        }
        // Unknown condition: both branches may apply; keep both so no import is dropped.
        return union(this.eval(e.then, env, file), this.eval(e.else, env, file));
      }
      case 'with': return this.eval(e.body, { vars: null, with: lazy(e.env, env, file), parent: env }, file);
      case 'assert': return this.eval(e.body, env, file);
      case 'error': return unknown('syntax error');
    }
  }

  private tick(): void {
    if (++this.steps > this.budget) throw new BudgetExhausted();
  }

  private lookup(name: string, env: Env): Value {
    for (let s: Env | null = env; s; s = s.parent) {
      const hit = s.vars?.get(name);
      if (hit) return this.force(hit);
    }
    for (let s: Env | null = env; s; s = s.parent) {
      if (!s.with) continue;
      const scope = this.force(s.with);
      if (scope.t === 'attrs' && scope.attrs.has(name)) return this.force(scope.attrs.get(name)!);
      if (scope.t === 'opaque') return this.force(this.select(scope, name)!);
    }
    const builtin = this.global.vars?.get(name);
    return builtin ? this.force(builtin) : unknown(`undefined variable ${name}`);
  }

  private selectExpr(e: ExprOf<'select'>, env: Env, file: string): Value {
    let cur = this.eval(e.expr, env, file);
    for (const key of e.path) {
      const name = this.keyName(key, env, file);
      const next = name === null ? null : this.select(cur, name);
      if (!next) {
        if (e.default) return this.eval(e.default, env, file);
        if (name === null && cur.t === 'opaque') return { t: 'opaque', path: [...cur.path, '*'] };
        return unknown(name === null ? 'dynamic attribute' : `missing attribute ${name}`);
      }
      if (cur.t === 'attrs' && cur.flake) this.outputSelects.add(`${file}:${e.span.start}`);
      cur = this.force(next);
    }
    return cur;
  }

  keyName(key: AttrKey, env: Env, file: string): string | null {
    if (key.kind === 'name') return key.name;
    const v = this.eval(key.expr, env, file);
    return v.t === 'string' ? v.v : null;
  }

  /** Builds an attrset; nested attrpaths (`a.b = 1; a.c = 2;`) merge, as in Nix. */
  /**
   * `inheritEnv` is the scope `inherit x;` reads: the enclosing one, even inside `rec` and `let`; but the source of
   * `inherit (src) x;` is an ordinary expression of the set, so it sees the set's own bindings.
   */
  private attrset(bindings: Binding[], inherits: Inherit[], valueEnv: Env, inheritEnv: Env, file: string): AttrsValue {
    const root = new Map<string, Thunk>();
    let partial = false;
    for (const inh of inherits) {
      const from = inh.from ? lazy(inh.from, valueEnv, file) : null;
      for (const n of inh.names) {
        root.set(n.name, from ? selecting(from, n.name) : lazy({ kind: 'var', name: n.name, span: n.span }, inheritEnv, file));
      }
    }
    for (const b of bindings) {
      const names: string[] = [];
      for (const k of b.path) {
        const name = this.keyName(k, valueEnv, file);
        if (name === null) break;
        names.push(name);
      }
      if (names.length < b.path.length) { partial = true; continue; }
      this.bind(root, names, lazy(b.value, valueEnv, file), b.value, valueEnv, file);
    }
    return attrsOf(root, partial);
  }

  private bind(into: Map<string, Thunk>, names: string[], value: Thunk, expr: Expr, env: Env, file: string): void {
    const [head, ...rest] = names;
    if (head === undefined) return;
    if (rest.length === 0 && !into.has(head)) { into.set(head, value); return; }
    const existing = into.get(head);
    const sub = new Map<string, Thunk>();
    if (existing) {
      const v = this.force(existing);
      if (v.t === 'attrs') for (const [k, t] of v.attrs) sub.set(k, t);
    }
    if (rest.length === 0) {
      const v = expr.kind === 'attrs' && !expr.rec ? this.force(value) : null;
      if (v?.t === 'attrs') for (const [k, t] of v.attrs) sub.set(k, t);
    } else {
      this.bind(sub, rest, value, expr, env, file);
    }
    into.set(head, ready(attrsOf(sub), file));
  }

  private selectThunk(from: Thunk, name: string): Value {
    const t = this.select(this.force(from), name);
    return t ? this.force(t) : unknown(`missing attribute ${name}`);
  }

  private interpolate(parts: readonly (string | Expr)[], env: Env, file: string): string | null {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') { out += p; continue; }
      const v = this.eval(p, env, file);
      if (v.t === 'string') out += v.v;
      else if (v.t === 'path') {
        // `"${./dir}"` copies the path to the store.
        if (!v.abs) this.record(v.v);
        out += v.abs ? v.v : `/${v.v}`;
      } else if (v.t === 'int') out += String(v.v);
      else return null;
    }
    return out;
  }

  private path(e: ExprOf<'path'>, env: Env, file: string): Value {
    const text = this.interpolate(e.parts, env, file);
    if (text === null) return unknown('path with unknown interpolation');
    if (e.home || text.startsWith('/')) return { t: 'path', v: text, abs: true };
    const rel = normalize(join(dirname(file), text));
    // Not recorded: a path value reads nothing until something uses it (import, readFile, callPackage, a module value
    // copied to the store), so `readDir ./hosts/${folder}` reads no file under it.
    return rel === null ? { t: 'path', v: text, abs: true } : { t: 'path', v: rel };
  }

  private binary(e: ExprOf<'binary'>, env: Env, file: string): Value {
    if (e.op === '|>') return this.apply(this.eval(e.right, env, file), lazy(e.left, env, file));
    if (e.op === '<|') return this.apply(this.eval(e.left, env, file), lazy(e.right, env, file));
    const l = this.eval(e.left, env, file);
    if (e.op === '&&' && l.t === 'bool' && !l.v) return bool(false);
    if (e.op === '||' && l.t === 'bool' && l.v) return bool(true);
    if (e.op === '->' && l.t === 'bool' && !l.v) return bool(true);
    const r = this.eval(e.right, env, file);
    return binaryOp(e.op, l, r);
  }

  private context(): CallContext {
    return {
      force: (t) => this.force(t),
      apply: (fn, arg, asModule) => this.apply(fn, arg, asModule),
      importPath: (p) => this.importPath(p),
      readDir: (dir) => this.sources.files.readDir(dir),
      readText: (file) => this.sources.text(file),
      listFiles: (dir) => this.sources.files.listRecursive(dir),
      exists: (p) => this.sources.files.exists(p),
      record: (p) => this.record(p),
      prune: (t) => { if (t.expr) this.prune(t.file, t.expr.span); },
    };
  }
}
