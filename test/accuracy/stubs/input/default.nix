# `import nixpkgs {...}` (every input's outPath is this directory): a stub package set, overlays applied.
args: (import ../default.nix).pkgs.mkPkgs args
