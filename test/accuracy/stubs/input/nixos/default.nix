# `import "${nixpkgs}/nixos" {configuration = ...;}`: a NixOS configuration of one module.
{configuration, ...} @ args: (import ../../default.nix).lib.nixosSystem {
  modules = [configuration];
  system = args.system or "x86_64-linux";
}
