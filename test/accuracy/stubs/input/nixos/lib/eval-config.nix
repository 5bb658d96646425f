# `import "${nixpkgs}/nixos/lib/eval-config.nix" {...}`: the same as nixpkgs.lib.nixosSystem.
args: (import ../../../default.nix).lib.nixosSystem args
