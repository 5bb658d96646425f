// The static evaluator on small flakes: the language features hosts are wired with, and never hanging or throwing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexOf } from '../support/workspace';

const flake = (outputs: string) => `{ inputs.nixpkgs.url = "github:nixos/nixpkgs"; outputs = ${outputs}; }`;
const hostsOf = async (files: Record<string, string | null>) => {
  const snap = (await indexOf(files)).snapshot();
  return { snap, names: snap.flake.hosts.map((h) => h.name), unresolved: snap.flake.unresolved.map((u) => `${u.what}: ${u.reason}`) };
};

test('let, rec, inherit (from), with, // and string interpolation build host names', async () => {
  const { names } = await hostsOf({
    'flake.nix': flake(`{ self, nixpkgs, ... }: let
      base = "web"; sys = nixpkgs.lib.nixosSystem;
      sets = rec { a = { "\${base}-1" = sys { modules = [ ]; }; }; b = a // { db = sys { modules = [ ]; }; }; };
      inherit (sets) b;
    in { nixosConfigurations = with sets; b // { extra = sys { modules = [ ]; }; }; }`),
  });
  assert.deepEqual(names, ['db', 'extra', 'web-1']);
});

test('lib.nixosSystem from a let-bound lib, another nixpkgs input and inputs.<x>.lib', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`inputs @ { nixpkgs, nixpkgs-stable, ... }: let lib = nixpkgs.lib; in {
      nixosConfigurations.a = lib.nixosSystem { modules = [ ./a.nix ]; };
      nixosConfigurations.b = nixpkgs-stable.lib.nixosSystem { modules = [ ./b.nix ]; };
      nixosConfigurations.c = inputs.nixpkgs.lib.nixosSystem { modules = [ ./c.nix ]; };
    }`),
    'a.nix': '{ }', 'b.nix': '{ }', 'c.nix': '{ }',
  });
  assert.deepEqual(snap.flake.hosts.map((h) => [h.name, h.modules.map((m) => (m.kind === 'file' ? m.path : m.kind))]), [
    ['a', ['a.nix']], ['b', ['b.nix']], ['c', ['c.nix']],
  ]);
});

test('infinite recursion and runaway evaluation end as unresolved, not as a hang', async () => {
  const started = Date.now();
  const { names, unresolved } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let loop = x: loop (x + 1); r = rec { a = b; b = a; }; in {
      nixosConfigurations = { x = loop 0; y = r.a; z = let q = q; in q; };
    }`),
  });
  assert.deepEqual(names, []);
  assert.equal(unresolved.length, 3, unresolved.join('\n'));
  assert.ok(Date.now() - started < 10_000);
});

test('a host value that is not a system is reported with the reason', async () => {
  const { unresolved } = await hostsOf({
    'flake.nix': flake(`{ other, ... }: { nixosConfigurations.box = other.lib.mkSomething { }; }`),
  });
  assert.match(unresolved.join('\n'), /box: not a recognised system builder: other\.lib\.mkSomething/);
});

test('imports decided by specialArgs are pruned per host; unknown conditions keep both branches', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let mk = hostname: nixpkgs.lib.nixosSystem { specialArgs = { inherit hostname; }; modules = [ ./common.nix ]; }; in {
      nixosConfigurations = nixpkgs.lib.genAttrs [ "alpha" "beta" ] mk;
    }`),
    'common.nix': `{ hostname, lib, config, ... }: {
      imports = lib.optional (hostname == "alpha") ./alpha-only.nix
        ++ (if hostname == "beta" then [ ./beta-only.nix ] else [ ])
        ++ lib.optionals config.services.x.enable [ ./either.nix ]
        ++ [ ./per-host/\${hostname}.nix ];
    }`,
    'alpha-only.nix': '{ }', 'beta-only.nix': '{ }', 'either.nix': '{ }',
    'per-host/alpha.nix': '{ }', 'per-host/beta.nix': '{ }',
  });
  assert.deepEqual(snap.hostsOf('alpha-only.nix'), ['alpha']);
  assert.deepEqual(snap.hostsOf('beta-only.nix'), ['beta']);
  assert.deepEqual(snap.hostsOf('either.nix'), ['alpha', 'beta']);
  assert.equal(snap.graph.closures.get('alpha')!.files.get('either.nix')!.conditional, true);
  assert.deepEqual(snap.hostsOf('per-host/alpha.nix'), ['alpha']);
  assert.deepEqual(snap.hostsOf('per-host/beta.nix'), ['beta']);
});

test('readDir-driven imports inside a module follow the directory listing', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ ./mods ]; }; }`),
    'mods/default.nix': `{ lib, ... }: {
      imports = map (n: ./. + "/\${n}") (builtins.filter (n: n != "default.nix" && lib.hasSuffix ".nix" n) (builtins.attrNames (builtins.readDir ./.)));
    }`,
    'mods/a.nix': '{ }', 'mods/b.nix': '{ }', 'mods/notes.txt': null,
  });
  assert.deepEqual(['mods/a.nix', 'mods/b.nix', 'mods/default.nix'].map((f) => snap.hostsOf(f).join()), ['h', 'h', 'h']);
  assert.deepEqual(snap.hostsOf('mods/notes.txt'), [], 'filtered out by the listing, as Nix would');
});

test('import cycles, missing targets and paths outside the workspace neither hang nor crash', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: { nixosConfigurations.h = nixpkgs.lib.nixosSystem { modules = [ ./a.nix ../outside.nix /etc/nixos/x.nix ]; }; }`),
    'a.nix': '{ imports = [ ./b.nix ./missing.nix ./dir-without-default ]; }',
    'b.nix': '{ imports = [ ./a.nix ]; }',
    'dir-without-default/x.nix': '{ }',
  });
  assert.deepEqual(snap.hostsOf('a.nix'), ['h']);
  assert.deepEqual(snap.hostsOf('b.nix'), ['h']);
  assert.deepEqual(snap.graph.missing.map((m) => `${m.file} -> ${m.target}`).sort(), ['a.nix -> dir-without-default', 'a.nix -> missing.nix']);
  assert.match(snap.flake.hosts[0]!.notes.join('\n'), /outside the workspace/);
});

test('odd host names survive: dots, spaces, quotes and @', async () => {
  const { names } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, home-manager, ... }: {
      nixosConfigurations."web.example.com" = nixpkgs.lib.nixosSystem { modules = [ ]; };
      nixosConfigurations."odd name \\"q\\" $x;" = nixpkgs.lib.nixosSystem { modules = [ ]; };
      homeConfigurations."me@box" = home-manager.lib.homeManagerConfiguration { modules = [ ]; };
    }`),
  });
  assert.deepEqual(names, ['odd name "q" $x;', 'web.example.com', 'me@box']);
});

test('host names read from JSON (lib.importJSON, builtins.fromJSON (readFile …)) and edits to that JSON', async () => {
  const index = await indexOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let lib = nixpkgs.lib; mk = n: lib.nixosSystem { modules = [ ./hosts/\${n}.nix ]; }; in {
      nixosConfigurations = lib.genAttrs (lib.importJSON ./hosts.json).hosts mk
        // lib.genAttrs (builtins.fromJSON (builtins.readFile ./more.json)) mk;
    }`),
    'hosts.json': '{ "hosts": ["a", "b"] }', 'more.json': '["c"]',
    'hosts/a.nix': '{ }', 'hosts/b.nix': '{ }', 'hosts/c.nix': '{ }',
  });
  assert.deepEqual(index.snapshot().flake.hosts.map((h) => h.name), ['a', 'b', 'c']);
  assert.deepEqual(index.snapshot().hostsOf('hosts/b.nix'), ['b']);
  index.setText('hosts.json', '{ "hosts": ["a"] }');
  assert.deepEqual(index.snapshot().flake.hosts.map((h) => h.name), ['a', 'c']);
});

test('modules picked from the flake outputs reach their own files only, with the paths inside them', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ self, nixpkgs, ... } @ inputs: let inherit (self) outputs; in {
      nixosModules = import ./modules;
      overlays.default = import ./overlay.nix;
      nixosConfigurations.a = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs outputs; }; modules = [ ./a.nix ]; };
      nixosConfigurations.b = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs outputs self; }; modules = [ ./b.nix ]; };
      nixosConfigurations.c = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs outputs; }; modules = [ ./c.nix ]; };
    }`),
    'modules/default.nix': '{ fn = import ./fn.nix; plain = ./plain.nix; }',
    // A function module whose package path sits inside an overlay lambda that nothing applies statically.
    'modules/fn.nix': '{ pkgs, ... }: { nixpkgs.overlays = [ (final: prev: { tool = prev.callPackage ./tool { }; }) ]; }',
    'modules/tool/default.nix': '{ }',
    'modules/plain.nix': '{ imports = [ ./plain-extra.nix ]; }',
    'modules/plain-extra.nix': '{ }',
    'a.nix': '{ inputs, ... }: { imports = [ inputs.self.nixosModules.fn ]; }',
    'b.nix': '{ self, ... }: { imports = [ self.nixosModules.plain ]; }',
    // An output read outside `imports` still counts with every file the output's definition reads.
    'c.nix': '{ outputs, ... }: { imports = builtins.attrValues outputs.nixosModules; nixpkgs.overlays = [ outputs.overlays.default ]; }',
    'overlay.nix': 'final: prev: { x = prev.callPackage ./pkgs/x { }; }',
    'pkgs/x/default.nix': '{ }',
  });
  assert.deepEqual(snap.hostsOf('modules/default.nix'), ['a', 'b', 'c']);
  assert.deepEqual(snap.hostsOf('modules/fn.nix'), ['a', 'c']);
  assert.deepEqual(snap.hostsOf('modules/tool/default.nix'), ['a', 'c']);
  assert.deepEqual(snap.hostsOf('modules/plain.nix'), ['b', 'c']);
  assert.deepEqual(snap.hostsOf('modules/plain-extra.nix'), ['b', 'c']);
  assert.deepEqual(snap.hostsOf('pkgs/x/default.nix'), ['c']);
});

test('listFilesRecursive imports keep only what the filter keeps; path values from other files count', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem { specialArgs = { motd = ./files/motd; }; modules = [ ./a.nix ]; };
    }`),
    'a.nix': `{ lib, motd, ... }: {
      imports = lib.filter (f: lib.hasSuffix ".nix" (toString f)) (lib.filesystem.listFilesRecursive ./profiles);
      environment.etc.motd.source = motd;
    }`,
    'profiles/base.nix': '{ }',
    'profiles/deep/more.nix': '{ }',
    'profiles/README.md': null,
    'files/motd': null,
  });
  assert.deepEqual(snap.hostsOf('profiles/base.nix'), ['a']);
  assert.deepEqual(snap.hostsOf('profiles/deep/more.nix'), ['a']);
  assert.deepEqual(snap.hostsOf('profiles/README.md'), []);
  assert.deepEqual(snap.hostsOf('files/motd'), ['a']);
});

test('lib.extend: the overlay adds to the lib (seeing the result as self), lazily; extending again keeps both layers', async () => {
  const { snap, names } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... } @ inputs: let
      lib = nixpkgs.lib.extend (self: super: { custom = import ./lib.nix { lib = super; }; mkName = n: "h-\${n}"; });
      lib2 = lib.extend (self: super: { more = self.mkName "x"; });
    in {
      nixosConfigurations.\${lib2.more} = lib2.nixosSystem { specialArgs = { inherit lib; }; modules = [ ./a.nix ]; };
      nixosConfigurations.b = lib.nixosSystem { modules = [ ./b.nix ]; };
    }`),
    'lib.nix': '{ lib }: { modulesOf = dir: map (f: dir + "/\${f}") (lib.attrNames (builtins.readDir dir)); }',
    'a.nix': '{ lib, ... }: { imports = lib.custom.modulesOf ./mods; }',
    'b.nix': '{ }',
    'mods/one.nix': '{ }',
  });
  assert.deepEqual(names, ['b', 'h-x']);
  assert.deepEqual(snap.hostsOf('mods/one.nix'), ['h-x']);
  assert.deepEqual(snap.hostsOf('lib.nix'), ['h-x'], 'the overlay attribute is read only by the host that uses it');
});

test('lib.path.append names files from the repository root; lib.foldl merges host sets', async () => {
  const { snap, names } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let
      inherit (nixpkgs) lib;
      mk = h: { \${h} = lib.nixosSystem { specialArgs = { root = lib.path.append ./.; }; modules = [ ./hosts/\${h}.nix ]; }; };
    in { nixosConfigurations = lib.foldl (acc: set: acc // set) { } (map mk [ "a" "b" ]); }`),
    'hosts/a.nix': '{ root, ... }: { imports = map root [ "common/core" "common/optional/x.nix" ]; }',
    'hosts/b.nix': '{ }',
    'common/core/default.nix': '{ }',
    'common/optional/x.nix': '{ }',
  });
  assert.deepEqual(names, ['a', 'b']);
  assert.deepEqual(snap.hostsOf('common/core/default.nix'), ['a']);
  assert.deepEqual(snap.hostsOf('common/optional/x.nix'), ['a']);
});

test('building a path reads nothing: readDir of an interpolated directory does not reach the files under it', async () => {
  const { snap, names } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let
      readHosts = folder: builtins.attrNames (builtins.readDir ./hosts/\${folder});
    in { nixosConfigurations = nixpkgs.lib.genAttrs (readHosts "nixos") (h: nixpkgs.lib.nixosSystem { modules = [ (./hosts/nixos + "/\${h}") ]; }); }`),
    'hosts/nixos/a/default.nix': '{ }',
    'hosts/nixos/b/default.nix': '{ }',
  });
  assert.deepEqual(names, ['a', 'b']);
  assert.deepEqual(snap.hostsOf('hosts/nixos/a/default.nix'), ['a']);
  assert.deepEqual(snap.hostsOf('hosts/nixos/b/default.nix'), ['b']);
});

test('a module returned by calling a file (home-manager.users.x = import ./hm.nix { … }) is evaluated with those arguments', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let
      mk = { wsl ? false }: nixpkgs.lib.nixosSystem { modules = [ { home-manager.users.me = import ./hm.nix { isWSL = wsl; }; } ]; };
    in { nixosConfigurations = { plain = mk { }; wsl = mk { wsl = true; }; }; }`),
    'hm.nix': '{ isWSL, ... }: { lib, ... }: { imports = lib.optionals isWSL [ ./wsl.nix ]; home.file.x.source = ./x.conf; }',
    'wsl.nix': '{ }',
    'x.conf': null,
  });
  assert.deepEqual(snap.hostsOf('hm.nix'), ['plain', 'wsl']);
  assert.deepEqual(snap.hostsOf('wsl.nix'), ['wsl'], 'the helper file is not also read as a module with the host arguments');
  assert.deepEqual(snap.hostsOf('x.conf'), ['plain', 'wsl']);
});

test('Home Manager modules given as sets or lists keep the branches their host rules out pruned', async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: {
      nixosConfigurations = nixpkgs.lib.genAttrs [ "a" "b" ] (hostname: nixpkgs.lib.nixosSystem { specialArgs = { inherit hostname; }; modules = [ ./user.nix ]; });
    }`),
    'user.nix': `{ lib, hostname, ... }: {
      home-manager.users.me = { imports = [ ./home.nix ] ++ lib.optionals (hostname == "a") [ ./a-only.nix ]; };
      home-manager.sharedModules = [ (import ./shared.nix { inherit hostname; }) ];
    }`,
    'home.nix': '{ }', 'a-only.nix': '{ }',
    'shared.nix': '{ hostname }: { lib, ... }: { imports = lib.optional (hostname == "b") ./b-only.nix; }',
    'b-only.nix': '{ }',
  });
  assert.deepEqual(snap.hostsOf('home.nix'), ['a', 'b']);
  assert.deepEqual(snap.hostsOf('a-only.nix'), ['a']);
  assert.deepEqual(snap.hostsOf('shared.nix'), ['a', 'b']);
  assert.deepEqual(snap.hostsOf('b-only.nix'), ['b']);
});

for (const [where, modules, host] of [
  ['a module', './host.nix', '{ gpu, ... }: { imports = [ (import ./ov.nix { inherit gpu; }) ]; }'],
  ['flake.nix', './host.nix (import ./ov.nix { inherit gpu; })', '{ }'],
] as const) test(`a file called in ${where} keeps the paths of functions nothing applied yet (an overlay in a let), minus ruled-out branches`, async () => {
  const { snap } = await hostsOf({
    'flake.nix': flake(`{ nixpkgs, ... }: let
      mk = { gpu ? false }: nixpkgs.lib.nixosSystem { specialArgs = { inherit gpu; }; modules = [ ${modules} ]; };
    in { nixosConfigurations = { plain = mk { }; gpu = mk { gpu = true; }; }; }`),
    'host.nix': host,
    'ov.nix': `{ gpu }: let
      overlay = final: prev: { tool = prev.callPackage ./pkgs/tool { }; };
    in { lib, ... }: { nixpkgs.overlays = [ overlay ]; imports = lib.optional gpu ./gpu.nix; }`,
    'pkgs/tool/default.nix': '{ stdenv }: stdenv.mkDerivation { name = "tool"; }',
    'gpu.nix': '{ }',
  });
  assert.deepEqual(snap.hostsOf('ov.nix'), ['gpu', 'plain']);
  // Building `pkgs.tool` reads it: the overlay is applied, even though evaluating the module never called it.
  assert.deepEqual(snap.hostsOf('pkgs/tool/default.nix'), ['gpu', 'plain']);
  assert.deepEqual(snap.hostsOf('gpu.nix'), ['gpu']);
});
