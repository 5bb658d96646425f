# Wires the stub together. Imported by eval.nix and by the files under ./input (which is where every flake
# input's outPath points); Nix evaluates a file once per process, so they all share one instance.
let
  ctx = import ./context.nix;
  baseLib = import ./lib.nix {inherit ctx;};
  # Modules and flakes see the lib of the nixpkgs flake: lib plus nixosSystem (and the other builders).
  lib = builders.fullLib;
  pkgs = import ./pkgs.nix {inherit ctx lib;};
  modules = import ./modules.nix {inherit ctx lib pkgs;};
  builders = import ./builders.nix {
    inherit ctx pkgs modules;
    lib = baseLib;
  };

  # The flake under test, called like Nix calls a flake's `outputs`, with one stub input per declared input.
  flake = let
    src = import (ctx.root + "/flake.nix");
    declared = b.attrNames (src.inputs or {}) ++ b.attrNames (b.functionArgs src.outputs);
    b = builtins;
    names = b.filter (n: n != "self") (lib.unique declared);
    inputs = lib.genAttrs names builders.mkInput // {inherit self;};
    outputs = src.outputs inputs;
    self =
      outputs
      // {
        outPath = ctx.root;
        inherit inputs outputs;
        _type = "flake";
        _hostlensNoWalk = true;
        sourceInfo = {
          outPath = ctx.root;
          lastModified = 0;
          lastModifiedDate = "19700101000000";
          narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        };
        lastModified = 0;
        lastModifiedDate = "19700101000000";
        narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        dirtyRev = "0000000000000000000000000000000000000000-dirty";
        dirtyShortRev = "0000000-dirty";
      };
  in {inherit inputs outputs self;};
in {
  inherit ctx lib pkgs modules builders flake;
}
