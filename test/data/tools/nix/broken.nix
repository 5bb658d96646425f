{ lib, hostName, ... }:
{
  # Überprüfung — the missing semicolon below is the syntax error
  networking = { hostName = hostName; domain = "bö.x" };
}
