{ pkgs, ... }:
let
  mtl = pkgs.haskellPackages.mtl;
in
{
  environment.etc."grüße".text = ("Grüße aus Köln 🌍");
  programs.fish.enable = true == true;
  environment.systemPackages = [ mtl ];
  boot.initrd = let in { x = "}"; };
}
