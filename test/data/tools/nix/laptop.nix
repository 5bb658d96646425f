{ config, lib, pkgs, ... }:
let
  greeting = "¡Hola, señor! 👋"; unusedHelper = 1;
in
{
  networking.hostName = "laptop";
  environment.etc.motd.text = "Ĉu vi? 🙂 " + (n: "ok") 1 + greeting;
  environment.systemPackages = [ pkgs.hello ];
}
