// Flake frameworks that build hosts for the user: flake-parts (`flake.*` from modules) and snowfall-lib (directories).
import { join } from '../../base/paths';
import { deepUpdate, fn } from './kit';
import { attrsOf, calling, listOf, ready, selecting, unknown, type CallContext, type SystemKind, type Thunk, type Value } from './values';

const MAX_MODULES = 200;

/** `flake-parts.lib.mkFlake { inherit inputs; } module`: the merged `flake` attribute of the module and its imports. */
export const flakePartsMkFlake: Value = fn('mkFlake', 2, (a, c) => {
  const args = a[0]!;
  const inputs = selecting(args, 'inputs');
  const lib: Value = { t: 'opaque', path: ['flake-parts', 'lib'] };
  const moduleArgs = ready(attrsOf([
    ['inputs', inputs], ['self', selecting(inputs, 'self')], ['lib', ready({ t: 'opaque', path: ['lib'] })],
    ['flake-parts-lib', ready(lib)], ['config', ready(unknown('flake-parts config'))],
    ['withSystem', ready(withSystem)], ['options', ready(unknown('options'))],
  ], true));
  let flake: Value = attrsOf([]);
  let visited = 0;
  const visit = (v: Value): void => {
    if (++visited > MAX_MODULES) return;
    if (v.t === 'path') return visit(c.importPath(v));
    if (v.t === 'lambda') return visit(c.apply(v, moduleArgs, true));
    if (v.t !== 'attrs') return;
    const part = v.attrs.get('flake');
    if (part) flake = deepUpdate(c, flake, c.force(part));
    const imports = v.attrs.get('imports');
    const items = imports ? c.force(imports) : null;
    if (items?.t === 'list') for (const i of items.items) visit(c.force(i));
  };
  visit(c.force(a[1]!));
  return flake;
});

const perSystemArgs = (system: Thunk): Thunk => ready(attrsOf([
  ['system', system], ['pkgs', ready({ t: 'opaque', path: ['pkgs'] })], ['config', ready(unknown('perSystem config'))],
  ["inputs'", ready({ t: 'opaque', path: ["inputs'"] })], ["self'", ready({ t: 'opaque', path: ["self'"] })],
], true));

/** flake-parts' `withSystem "x86_64-linux" ({ pkgs, ... }: …)`: the function applied to that system's arguments. */
const withSystem: Value = fn('withSystem', 2, (a, c) => c.apply(c.force(a[1]!), perSystemArgs(a[0]!)));

/**
 * flake-utils' `eachSystem systems f` / `eachDefaultSystem f`: `{ packages.<system> = …; }` from `f system`. The names
 * come from the first system's result; each system's value stays lazy.
 */
function eachSystem(c: CallContext, systems: string[], f: Thunk): Value {
  const first = systems[0];
  if (!first) return attrsOf([]);
  const results = new Map(systems.map((sys) => [sys, calling(f, ready({ t: 'string', v: sys }))]));
  const sample = c.force(results.get(first)!);
  if (sample.t !== 'attrs') return unknown('eachSystem of a function that does not return a set');
  return attrsOf([...sample.attrs.keys()].map((k) => [k, ready(attrsOf(systems.map((sys) => [sys, selecting(results.get(sys)!, k)])))]));
}

const DEFAULT_SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];
export const eachDefaultSystem: Value = fn('eachDefaultSystem', 1, (a, c) => eachSystem(c, DEFAULT_SYSTEMS, a[0]!));
export const eachSystemFn: Value = fn('eachSystem', 2, (a, c) => {
  const list = c.force(a[0]!);
  const systems = list.t === 'list' ? list.items.flatMap((t) => { const v = c.force(t); return v.t === 'string' ? [v.v] : []; }) : [];
  return list.t === 'list' ? eachSystem(c, systems, a[1]!) : unknown('eachSystem over unknown systems');
});

/**
 * snowfall-lib finds everything by convention: `systems/<arch>/<host>`, `homes/<arch>/<user@host>`, and every
 * `modules/<platform>/**` module applies to every system of that platform. Overlays and packages reach all hosts.
 */
export const snowfallMkFlake: Value = fn('mkFlake', 1, (a, c) => {
  const args = c.force(a[0]!);
  const srcThunk = args.t === 'attrs' ? args.attrs.get('src') : undefined;
  const srcValue = srcThunk ? c.force(srcThunk) : null;
  const src = srcValue?.t === 'path' && !srcValue.abs ? srcValue.v : '';
  const shared = ['overlays', 'packages', 'lib'].flatMap((d) => c.listFiles(join(src, d)));
  const modulesOf = (platform: string) => c.listFiles(join(src, `modules/${platform}`)).filter((f) => f.endsWith('/default.nix'));
  const hosts = (dir: string) => [...(c.readDir(join(src, dir)) ?? [])]
    .filter(([, t]) => t === 'directory')
    .flatMap(([arch]) => [...(c.readDir(join(src, `${dir}/${arch}`)) ?? [])]
      .filter(([, t]) => t === 'directory').map(([name]) => ({ arch, name, dir: join(src, `${dir}/${arch}/${name}`) })));
  const homes = hosts('homes');
  const system = (kind: SystemKind, modules: string[]): Thunk => ready({
    t: 'system', kind, builder: 'snowfall-lib.mkFlake', extraRefs: shared,
    args: ready(attrsOf([['modules', ready(listOf(modules.map((m) => ready({ t: 'path', v: m }))))]])),
  });
  const nixos: [string, Thunk][] = [];
  const darwin: [string, Thunk][] = [];
  for (const h of hosts('systems')) {
    const isDarwin = h.arch.includes('darwin');
    const ownHomes = homes.filter((home) => home.name.endsWith(`@${h.name}`)).map((home) => home.dir);
    const modules = [h.dir, ...modulesOf(isDarwin ? 'darwin' : 'nixos'), ...ownHomes, ...(ownHomes.length ? modulesOf('home') : [])];
    (isDarwin ? darwin : nixos).push([h.name, system(isDarwin ? 'darwin' : 'nixos', modules)]);
  }
  const home: [string, Thunk][] = homes.map((h) => [h.name, system('home-manager', [h.dir, ...modulesOf('home')])]);
  return attrsOf([
    ['nixosConfigurations', ready(attrsOf(nixos))],
    ['darwinConfigurations', ready(attrsOf(darwin))],
    ['homeConfigurations', ready(attrsOf(home))],
  ]);
});
