# A stand-in for an instantiated nixpkgs (`import nixpkgs {...}`, `legacyPackages.${system}`, a host's `pkgs`).
# It is the universe U (every name a catchable throw) with a few builders, `callPackage`, `lib`, `stdenv` and the
# platform, and the overlays applied as nixpkgs does: each overlay gets `final` (the fixpoint) and `prev` (the
# set so far) and its result is merged with `//`, so all overlay functions run (and read the files they import
# at their top level) as soon as any attribute of the package set is looked up.
# Packages made by the stub builders are attribute sets that keep their arguments (`_hostlensWalk`), so that a
# walk over a host's configuration reaches `src = ./.`, `text = builtins.readFile ./x.sh` and the like.
{
  ctx,
  lib,
}: let
  inherit (ctx) U safe;
  b = builtins;

  stubOut = "/nix/store/00000000000000000000000000000000-hostlens-stub";

  # A derivation stand-in. Calling it (`writeShellScriptBin "n" "text"`, `runCommand n env script`) returns
  # another one with the extra argument kept, so curried builders need no per-builder arity.
  mkDrv = args0: let
    args =
      if lib.isFunction args0
      then args0 drv
      else args0;
    a =
      if b.isAttrs args
      then args
      else {_arg = args;};
    name = toString (a.name or a.pname or "stub");
    drv =
      U
      // a
      // {
        type = "derivation";
        inherit name;
        outPath = stubOut;
        drvPath = stubOut + ".drv";
        outputs = ["out"];
        out = drv;
        all = [drv];
        meta = U // (a.meta or {});
        passthru = U // (a.passthru or {});
        override = f: mkDrv (a // (safe {} (lib.toFunction f a)));
        overrideAttrs = f: mkDrv (a // (safe {} (let g = lib.toFunction f a; in if lib.isFunction g then g a else g)));
        overrideDerivation = f: mkDrv (a // (safe {} (f a)));
        overridePythonAttrs = f: mkDrv (a // (safe {} (lib.toFunction f a)));
        __functor = self: arg: mkDrv (a // {_args = (a._args or []) ++ [arg];});
        _hostlensWalk = a;
      };
  in
    drv;

  # Names of functions that build a derivation from their arguments, in any namespace.
  builderNames = [
    "mkDerivation" "writeShellApplication" "writeShellScriptBin" "writeShellScript" "writeScript" "writeScriptBin"
    "writeText" "writeTextFile" "writeTextDir" "writeJSON" "writeTOML" "writeYAML" "writeCBin" "writeC"
    "writeBash" "writeBashBin" "writeDash" "writeDashBin" "writePython3" "writePython3Bin" "writeFish" "writeFishBin"
    "writeNu" "writeNuBin" "writeRust" "writeRustBin" "writeHaskell" "writeHaskellBin" "writeJS" "writeJSBin"
    "writeLua" "writeLuaBin" "writePerl" "writePerlBin" "writeBabashka" "writeBabashkaBin" "writeClosure"
    "writeReferencesToFile" "writeStringReferencesToFile" "writeNushellApplication"
    "runCommand" "runCommandLocal" "runCommandNoCC" "runCommandCC" "runCommandWith" "symlinkJoin" "buildEnv"
    "linkFarm" "linkFarmFromDrvs" "concatText" "concatTextFile" "concatScript" "copyPathToStore" "copyPathsToStore"
    "substitute" "substituteAll" "substituteAllFiles" "replaceVars" "replaceVarsWith" "makeDesktopItem"
    "makeSetupHook" "makeWrapper" "wrapProgram" "mkShell" "mkShellNoCC"
    "fetchurl" "fetchzip" "fetchgit" "fetchFromGitHub" "fetchFromGitLab" "fetchFromGitea" "fetchFromForgejo"
    "fetchFromCodeberg" "fetchFromSourcehut" "fetchFromBitbucket" "fetchpatch" "fetchpatch2" "fetchPypi"
    "fetchCrate" "fetchNpmDeps" "fetchYarnDeps" "fetchPnpmDeps"
    "buildGoModule" "buildGo122Module" "buildGo123Module" "buildGo124Module" "buildGoPackage" "buildNpmPackage"
    "buildRustPackage" "buildPythonApplication" "buildPythonPackage" "buildVimPlugin" "buildNeovimPlugin"
    "buildFHSEnv" "buildFHSUserEnv" "buildImage" "buildLayeredImage" "streamLayeredImage" "buildDotnetModule"
    "buildDunePackage" "buildPerlPackage" "buildLuarocksPackage" "buildHomeAssistantComponent" "buildYarnPackage"
    "buildFirefoxXpiAddon" "buildGrafanaPlugin" "buildKodiAddon" "buildEmacsPackage" "trivialBuild" "melpaBuild"
    "wrapType1" "wrapType2" "extractType2" "wrapNeovim" "wrapNeovimUnstable" "wrapFirefox" "wrapOBS"
    "mkYarnPackage" "mkPnpmPackage" "stdenvNoCCmkDerivation" "nixosTest" "runNixOSTest" "testers"
    "compileScss" "stdenvAdapters" "applyPatches" "requireFile" "makeFontsConf" "texliveCombine" "mkTmuxPlugin"
  ];
  builders = lib.genAttrs builderNames (_: mkDrv);
  # Namespaces whose members are mostly builders (`python3Packages.buildPythonApplication`, `writers.writeBash`,
  # `dockerTools.buildImage`...). Their other members are U throws.
  builderNs = U // builders // {callPackage = throw "hostlens-stub: namespaced callPackage is not modelled";};

  platformFor = lib.platformFor;

  mkPkgs = args0: let
    args =
      if b.isAttrs args0
      then args0
      else {};
    system = let
      s =
        safe null (args.system
          or args.localSystem.system
          or args.localSystem
          or args.hostPlatform.system
          or args.hostPlatform
          or "x86_64-linux");
    in
      if b.isString s
      then s
      else "x86_64-linux";
    overlays = safe [] (args.overlays or []);
    platform = platformFor system;
    stdenv =
      U
      // {
        mkDerivation = mkDrv;
        hostPlatform = platform;
        buildPlatform = platform;
        targetPlatform = platform;
        inherit system platform;
        isLinux = platform.isLinux;
        isDarwin = platform.isDarwin;
        isx86_64 = platform.isx86_64;
        isAarch64 = platform.isAarch64;
        cc = mkDrv {name = "cc";};
        shell = "/bin/sh";
        lib = lib;
      };

    # The packages nixpkgs would supply, before any overlay (without U: `known` tells real attributes apart).
    base = {
      inherit lib system stdenv;
      pkgs = final;
      hostPlatform = platform;
      buildPlatform = platform;
      targetPlatform = platform;
      stdenvNoCC = stdenv;
      gccStdenv = stdenv;
      clangStdenv = stdenv;
      stdenv_32bit = stdenv;
      config = U // (safe {} (args.config or {}));
      callPackage = fn: overrides: callPackageWith known final fn overrides;
      callPackages = fn: overrides: callPackageWith known final fn overrides;
      newScope = extra: callPackageWith (known // extra) (final // extra);
      python3Packages = builderNs;
      python3 = builderNs // {pkgs = builderNs; withPackages = _: mkDrv {name = "python3-env";};};
      python = builderNs // {pkgs = builderNs;};
      pythonPackages = builderNs;
      rustPlatform = builderNs;
      vimUtils = builderNs;
      vimPlugins = builderNs;
      writers = builderNs;
      dockerTools = builderNs;
      appimageTools = builderNs;
      nodePackages = builderNs;
      haskellPackages = builderNs;
      perlPackages = builderNs;
      emacsPackages = builderNs;
      luaPackages = builderNs;
      ocamlPackages = builderNs;
      testers = builderNs;
      formats =
        U
        // lib.genAttrs ["json" "yaml" "yaml_1_1" "yaml_1_2" "toml" "ini" "iniWithGlobalSection" "keyValue" "gitIni" "systemd" "elixirConf" "lua" "nixConf" "xml" "hocon" "php" "javaProperties" "pythonVars" "libconfig" "cdn"] (fmt: _: {
          type = lib.types.anything;
          generate = name: value: mkDrv {inherit name value;};
          lib = U;
        });
      path = ctx.inputDir;
      _hostlensNoWalk = true;
      _hostlensPkgs = true;
      _hostlensOverlays = overlays;
      _hostlensSystem = system;
    };

    # nixpkgs' fixpoint: each overlay sees `final` and the set built so far, an overlay that throws (an input's
    # overlay, which the stub cannot provide) is skipped, and its result is what `//` forces.
    applyOverlay = i: prev: ov: let
      r = b.tryEval (
        if ctx.skipped {ph = "overlay"; index = i;}
        then throw "skipped"
        else ctx.step {ph = "overlay"; index = i;} (ov final (U // prev))
      );
    in
      prev
      // (
        if r.success && b.isAttrs r.value
        then r.value
        else {}
      );
    known = lib.foldl' (acc: iov: applyOverlay iov.i acc iov.ov) (builders // base) (lib.imap0 (i: ov: {inherit i ov;}) overlays);
    final = U // known;
  in
    final;

  # callPackage: import a path, then call the function with the package set's attributes it asks for.
  # Formals that have a default are left to their default unless the set really defines them (not from U).
  callPackageWith = known: autoArgs: fn: overrides: let
    f =
      if b.isPath fn || b.isString fn
      then import fn
      else fn;
    fa = lib.functionArgs f;
    pick = n: hasDefault:
      if overrides ? ${n}
      then [
        {
          name = n;
          value = overrides.${n};
        }
      ]
      else if hasDefault && !(known ? ${n})
      then []
      else [
        {
          name = n;
          value = autoArgs.${n} or (throw "hostlens-stub: package argument `${n}` is not modelled");
        }
      ];
    args =
      b.listToAttrs (b.concatLists (lib.mapAttrsToList pick fa))
      // (
        if fa == {}
        then overrides
        else {}
      );
    r =
      if lib.isFunction f
      then f args
      else f;
  in
    if b.isAttrs r && !(r ? _hostlensWalk) && !(r ? override)
    then
      r
      // {
        override = _: r;
        overrideAttrs = _: r;
      }
    else r;
in {
  inherit mkPkgs mkDrv callPackageWith builders;
}
