# Shared state of one stub evaluation. Every stub file imports this file, and Nix evaluates a file once per
# process, so all of them see the same values. It is configured through the environment because stub files are
# also reached through plain `import inputs.nixpkgs {...}` calls that cannot pass arguments:
#   HOSTLENS_ROOT  absolute, symlink-free path of the flake directory under test
#   HOSTLENS_IDS   a JSON file with every identifier-like word found in the flake's .nix files
let
  root = builtins.getEnv "HOSTLENS_ROOT";
  idsFile = builtins.getEnv "HOSTLENS_IDS";
  ids =
    if idsFile == ""
    then []
    else builtins.fromJSON (builtins.readFile idsFile);

  # The "universe": one attribute per identifier of the flake, each a `throw`. Stub sets (lib, pkgs, inputs,
  # config of flake-parts, platforms, ...) are laid over it, so that `pkgs.firefox` or `lib.someRareFunction`
  # is a catchable `throw` (builtins.tryEval catches it) instead of an "attribute missing" error, which would
  # abort the whole evaluation. An attribute name that no .nix file of the flake spells cannot be selected by
  # it either (short of computed names), so this covers nearly every access.
  U = builtins.listToAttrs (map (n: {
      name = n;
      value = throw "hostlens-stub: `${n}` is not modelled";
    })
    ids);

  # Markers tie what strace sees (files opened) to the phase of the stub evaluation that caused it: each marker
  # is a `builtins.trace` line, i.e. a write(2, "trace: HOSTLENS {...}") between the openat() calls.
  mark = info: x: builtins.trace ("HOSTLENS " + builtins.toJSON info) x;
  step = mark;

  # HOSTLENS_SKIP: a JSON file listing steps (marker fields but `unc`/`from`, values joined with "|" in attribute
  # name order) that aborted an earlier attempt with an error builtins.tryEval cannot catch (a syntax error, a
  # missing attribute of a non-stub set, infinite recursion). The stub skips them on the next attempt.
  skipFile = builtins.getEnv "HOSTLENS_SKIP";
  skipSet =
    if skipFile == ""
    then {}
    else builtins.listToAttrs (map (k: {name = k; value = true;}) (builtins.fromJSON (builtins.readFile skipFile)));
  skipped = info: skipSet ? ${builtins.concatStringsSep "|" (map toString (builtins.attrValues (builtins.removeAttrs info ["unc" "from"])))};

  # `x`, or `d` when evaluating `x` throws (a stub's not-modelled `throw`, or the flake's own): every stub step uses it.
  safe = d: x: let
    r = builtins.tryEval x;
  in
    if r.success
    then r.value
    else d;

  stubDir = toString ./.;
  # Every flake input's outPath: `import inputs.nixpkgs {...}`, `inputs.nixpkgs + "/lib"` and
  # `"${nixpkgs}/nixos/lib/eval-config.nix"` land on the stubs in ./input.
  inputDir = stubDir + "/input";
  modulesPath = inputDir + "/nixos/modules";
in {
  inherit root ids U mark step skipped safe stubDir inputDir modulesPath;
}
