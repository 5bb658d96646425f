args@{ lib, ... }:
{
  options.wifi.enable = lib.mkEnableOption "Wi‑Fi für unterwegs";
}
