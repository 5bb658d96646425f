# What flake inputs provide to a flake under test: the configuration builders (nixosSystem, darwinSystem,
# homeManagerConfiguration), flake-parts' mkFlake, flake-utils' eachSystem family, and the flake inputs
# themselves. A builder returns a descriptor (`_hostlensSystem`) that eval.nix evaluates with modules.nix; it
# reads nothing by itself, as the real builders read nothing until the configuration is evaluated.
{
  ctx,
  lib,
  pkgs,
  modules,
}: let
  inherit (ctx) U safe;
  b = builtins;
  systems = lib.systems.flakeExposed;
  perSystemSet = f: U // lib.genAttrs systems f;

  mkSystem = kind: args:
    U
    // {
      _hostlensSystem = {inherit kind args;};
      _hostlensNoWalk = true;
      _type = "configuration";
      config = throw "hostlens-stub: the `config` of a configuration is not modelled";
      options = throw "hostlens-stub: the `options` of a configuration is not modelled";
      pkgs = throw "hostlens-stub: the `pkgs` of a configuration is not modelled";
      activationPackage = throw "hostlens-stub: activationPackage is not modelled";
      extendModules = ea:
        mkSystem kind (args
          // {
            modules = (args.modules or []) ++ (ea.modules or []);
            specialArgs = (args.specialArgs or {}) // (ea.specialArgs or {});
          });
    };

  # ------------------------------------------------------------------ flake-utils
  eachSystem = systems: f:
    b.foldl' (attrs: system: let
      ret = f system;
    in
      b.foldl' (attrs: key:
        attrs
        // {
          ${key} = (attrs.${key} or {}) // {${system} = ret.${key};};
        })
      attrs (b.attrNames ret)) {}
    systems;
  defaultSystems = ["x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin"];
  flakeUtils = {
    inherit eachSystem defaultSystems;
    allSystems = systems;
    eachDefaultSystem = eachSystem defaultSystems;
    eachSystemMap = systems: f: lib.genAttrs systems f;
    eachDefaultSystemMap = f: lib.genAttrs defaultSystems f;
    system = lib.genAttrs systems (s: s);
    flattenTree = x: x;
    mkApp = {drv, ...} @ a: {
      type = "app";
      program = a.exePath or "${drv}/bin/stub";
    };
  };

  # ------------------------------------------------------------------ flake-parts
  # Modules are collected like flake-parts' evalModules does (all `imports`, before any output is read); the
  # flake is the merge of every module's `flake` definitions: `nixosConfigurations.a` from one module and
  # `nixosConfigurations.b` from another both land.
  mergeFlake = defs: let
    keys = lib.unique (b.concatMap (d:
      if b.isAttrs d.v
      then b.attrNames d.v
      else [])
    defs);
    level2 = k: let
      vals = b.concatMap (d: modules.defsAt [k] d.unc d.v) defs;
      names = lib.unique (b.concatMap (d:
        if b.isAttrs d.v
        then b.attrNames d.v
        else [])
      vals);
    in
      if vals != [] && b.all (d: b.isAttrs d.v && !(d.v ? outPath) && !(d.v ? _hostlensSystem)) vals
      then lib.genAttrs names (n: (lib.last (b.concatMap (d: modules.defsAt [n] d.unc d.v) vals)).v)
      else (lib.last vals).v;
  in
    lib.genAttrs keys level2;

  fpLib =
    U
    // {
      inherit (lib) importApply;
      mkFlake = mkFlake;
      mkPerSystemOption = _: lib.mkOption {};
      mkTransposedPerSystemModule = _: {};
      mkSubmoduleOptions = _: {};
      mkPerSystemType = _: lib.types.raw;
      mkDeferredModuleOption = _: lib.mkOption {};
    };

  perSystemArgs = inputs: system: {
    inherit system lib;
    pkgs = pkgs.mkPkgs {inherit system;};
    config = U;
    options = U;
    self' = U // {packages = U; legacyPackages = U; apps = U; checks = U; devShells = U;};
    inputs' = b.mapAttrs (_: i: U // {packages = U; legacyPackages = pkgs.mkPkgs {inherit system;}; apps = U; checks = U; devShells = U;}) inputs;
    final = pkgs.mkPkgs {inherit system;};
  };

  mkFlake = fpArgs: module: let
    inputs = fpArgs.inputs;
    self = safe (inputs.self or U) (fpArgs.self or inputs.self);
    withSystem = system: f: modules.callWith (perSystemArgs inputs system) (n: U.${n} or (throw "hostlens-stub: `${n}`")) f;
    moduleWithSystem = f: modules.callWith (perSystemArgs inputs "x86_64-linux") (n: U.${n} or (throw "hostlens-stub: `${n}`")) f;
    args =
      {
        inherit lib inputs self withSystem moduleWithSystem;
        config = config;
        options = U;
        flake-parts-lib = fpLib;
        getSystem = system: U // {inherit system;};
        specialArgs = fpArgs.specialArgs or {};
      }
      // (fpArgs.specialArgs or {});
    items = modules.closure {
      label = "flake.nix mkFlake";
      inherit args;
      fallback = {};
      roots = [
        {
          m = module;
          unc = false;
        }
      ];
    };
    flakeDefs = b.concatMap (it: modules.defsAt ["flake"] it.unc (modules.configOf it.body)) items;
    merged = mergeFlake flakeDefs;
    systemsDef = b.concatMap (it: modules.defsAt ["systems"] it.unc (modules.configOf it.body)) items;
    config =
      U
      // {
        flake = merged;
        systems =
          if systemsDef == []
          then systems
          else (b.head systemsDef).v;
        allSystems = U;
        perSystem = _: U;
      };
    perSystemOutputs = lib.genAttrs ["packages" "apps" "checks" "devShells" "formatter" "legacyPackages"] (_: perSystemSet (_: U));
  in
    perSystemOutputs // ctx.step {ph = "flake-parts";} merged;

  # ------------------------------------------------------------------ inputs
  # Functions of other flakes' `lib` that return a set of hosts: modelled as returning none, so that
  # `inputs.x.lib.mkHosts ./. // {local = ...;}` still yields `local`.
  hostGenerators = lib.genAttrs ["mkHosts"] (_: _: {});

  fullLib = lib.extend (final: prev:
    {
      nixosSystem = mkSystem "nixos";
      darwinSystem = mkSystem "darwin";
      homeManagerConfiguration = mkSystem "home-manager";
      inherit mkFlake;
    }
    // flakeUtils
    // hostGenerators);

  mkInput = name:
    U
    // flakeUtils
    // {
      outPath = ctx.inputDir;
      _hostlensNoWalk = true;
      _hostlensInput = name;
      lib = fullLib;
      inherit mkFlake;
      legacyPackages = perSystemSet (system: pkgs.mkPkgs {inherit system;});
      packages = throw "hostlens-stub: packages of input `${name}`";
      nixosModules = throw "hostlens-stub: nixosModules of input `${name}`";
      darwinModules = throw "hostlens-stub: darwinModules of input `${name}`";
      homeManagerModules = throw "hostlens-stub: homeManagerModules of input `${name}`";
      homeModules = throw "hostlens-stub: homeModules of input `${name}`";
      flakeModules = throw "hostlens-stub: flakeModules of input `${name}`";
      flakeModule = throw "hostlens-stub: flakeModule of input `${name}`";
      modules = throw "hostlens-stub: modules of input `${name}`";
      nixosModule = throw "hostlens-stub: nixosModule of input `${name}`";
      overlays = throw "hostlens-stub: overlays of input `${name}`";
      overlay = throw "hostlens-stub: overlay of input `${name}`";
      inputs = U;
      outputs = U;
      sourceInfo = U // {outPath = ctx.inputDir;};
      rev = "0000000000000000000000000000000000000000";
      shortRev = "0000000";
      lastModified = 0;
      lastModifiedDate = "19700101000000";
      narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    };
in {
  inherit mkSystem mkFlake mkInput fullLib eachSystem;
}
