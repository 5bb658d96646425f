# The module-system part of the stub: what NixOS / nix-darwin / Home Manager / flake-parts would load for one
# configuration, without nixpkgs' option declarations.
#   closure  follows `imports` from the top-level modules like lib.modules.collectModules: a path is imported
#            (a directory means its default.nix), a function is called with {config, lib, pkgs, options,
#            modulesPath, ...specialArgs} plus any `_module.args` another module defines, and each module is
#            loaded once (deduplicated by file). Paths outside the flake directory (modulesPath, inputs) are not
#            followed: they are not the flake's files.
#   walk     forces every option value a module defines, through mkIf (a condition that evaluates to false
#            prunes, one that throws is "uncertain"), mkMerge, mkOverride and mkOrder, and reports every path
#            value under the flake directory (age.secrets.x.file, home.file.y.source, a package's src...): Nix
#            copies those to the store when it builds the host.
#   system   puts it together for one host: modules, the package set with the overlays from `nixpkgs.overlays`,
#            the walk, then Home Manager users and `sharedModules` declared through `home-manager.*`.
# Every step is announced with ctx.mark so that the files strace sees can be attributed, and every step is
# wrapped in builtins.tryEval so that one throw skips one value, not the host. HOSTLENS_SKIP lists steps that
# aborted an earlier attempt (an error tryEval cannot catch); they are skipped.
{
  ctx,
  lib,
  pkgs,
}: let
  inherit (ctx) root U safe;
  b = builtins;

  inherit (ctx) skipped step;

  under = p: let
    s = toString p;
  in
    s == root || lib.hasPrefix (root + "/") s;
  rel = p: let
    s = toString p;
  in
    if s == root
    then "."
    else if lib.hasPrefix (root + "/") s
    then b.substring (b.stringLength root + 1) (-1) s
    else s;
  isPathLike = m: b.isPath m || (b.isString m && b.substring 0 1 m == "/");
  isDir = p: b.pathExists (toString p + "/.");

  # Every definition at `path` inside `v`, looking through the mk* wrappers: [{v; unc;}].
  defsAt = path: unc: v: let
    r = b.tryEval v;
    x = r.value;
    t =
      if b.isAttrs x
      then x._type or null
      else null;
  in
    if !r.success
    then []
    else if t == "if"
    then let
      c = b.tryEval x.condition;
    in
      if c.success && c.value == false
      then []
      else defsAt path (unc || !(c.success && c.value == true)) x.content
    else if t == "merge"
    then b.concatMap (defsAt path unc) (safe [] x.contents)
    else if t == "override" || t == "order"
    then defsAt path unc x.content
    else if path == []
    then [{v = x; inherit unc;}]
    else if b.isAttrs x && x ? ${b.head path}
    then defsAt (b.tail path) unc x.${b.head path}
    else [];
  listDefs = path: unc: v: b.concatMap (d: map (e: {v = e; inherit (d) unc;}) (
    if b.isList d.v
    then d.v
    else []
  )) (defsAt path unc v);

  # The option definitions of a module value (lib.modules.unifyModuleSyntax).
  configOf = m:
    if !(b.isAttrs m)
    then {}
    else if m ? config || m ? options
    then m.config or {}
    else b.removeAttrs m ["_class" "_file" "key" "disabledModules" "imports" "options" "config" "freeformType"];

  # Call a module function the way lib.modules.applyModuleArgs does: every formal comes from the arguments
  # (specialArgs first) or else from config._module.args.
  callWith = args: lookup: f: let
    fa = lib.functionArgs f;
    extra = b.mapAttrs (n: _:
      if args ? ${n}
      then args.${n}
      else lookup n)
    fa;
  in
    f (args // extra);

  # `imports` of every module reachable from `roots`; each item: {key; name; unc; body}.
  closure = {
    label,
    args,
    fallback,
    roots,
  }: let
    moduleArgDefs = b.concatMap (it: defsAt ["_module" "args"] it.unc (configOf it.body)) items;
    lookup = n: let
      found = b.filter (d: b.isAttrs d.v && d.v ? ${n}) moduleArgDefs;
    in
      if found != []
      then (b.head found).v.${n}
      else fallback.${n} or (throw "hostlens-stub: module argument `${n}` is not modelled");

    load = name: unc: raw:
      if skipped {ph = "apply"; mod = name;}
      then {}
      else if lib.isFunction raw
      then safe {} (step {ph = "apply"; mod = name; inherit unc;} (callWith args lookup raw))
      else if b.isAttrs raw
      then raw
      else {};

    mkItem = parentName: via: unc: j: m: let
      r = b.tryEval (
        if skipped {ph = via; mod = parentName; index = j;}
        then throw "skipped"
        else step {ph = via; mod = parentName; index = j; inherit unc;} m
      );
      v = r.value;
      isP = r.success && isPathLike v;
      file =
        if isP && isDir v
        then toString v + "/default.nix"
        else toString v;
      local = isP && under file && b.pathExists file && !(skipped {ph = "load"; mod = rel file;});
      name =
        if isP
        then rel file
        else "${parentName} ${via}[${toString j}]";
    in {
      key =
        if isP
        then "path:" + file
        else "anon:" + name;
      inherit name unc;
      body =
        if !r.success || (isP && !local)
        then {}
        else if isP
        then load name unc (step {ph = "load"; mod = name; from = parentName; inherit unc;} (import file))
        else load name unc v;
    };

    operator = item: let
      imps =
        if skipped {ph = "imports"; mod = item.name;}
        then []
        else
          safe [] (step {ph = "imports"; mod = item.name; inherit (item) unc;} (
            if b.isAttrs item.body
            then let i = item.body.imports or []; in if b.isList i then i else []
            else []
          ));
    in
      lib.imap0 (j: m: mkItem item.name "imports" item.unc j m) imps;

    items = b.genericClosure {
      startSet = lib.imap0 (j: r: mkItem label "modules" r.unc j r.m) roots;
      inherit operator;
    };
  in
    items;

  # ------------------------------------------------------------------ walk
  wrapperTypes = ["if" "merge" "override" "order"];
  # Two passes (walkItems): `decided` = true first prunes at every mkIf the stub cannot decide, so that files
  # reached both inside and outside such a mkIf are first read (Nix reads a file once) in a certain context.
  walk = decided: mod: unc: inImports: depth: at: v: let
    r = b.tryEval v;
    x = r.value;
    t = b.typeOf x;
    sub = n: at + "." + n;
    child = unc': inImp: at': c: let
      info = {ph = "walk"; inherit mod; at = at';};
    in
      if skipped info
      then 0
      else if decided && unc'
      then 0
      else walk decided mod unc' inImp (depth + 1) at' (step (info // {unc = unc';}) c);
  in
    if !r.success || depth > 48
    then 0
    else if t == "path"
    then
      (
        if under x
        then
          step {
            ph = "path";
            inherit mod at unc;
            p = toString x;
            kind =
              if inImports
              then "import"
              else "copy";
          }
          1
        else 0
      )
    else if t == "list"
    then b.foldl' (acc: i: acc + child unc inImports "${at}[${toString i}]" (b.elemAt x i)) 0 (lib.range 0 (b.length x - 1))
    else if t != "set"
    then 0
    else if x ? _hostlensNoWalk
    then 0
    else if x ? _hostlensWalk
    then child unc inImports (at + "<pkg>") x._hostlensWalk
    else if b.elem (x._type or null) wrapperTypes
    then
      (
        if x._type == "if"
        then let
          c = b.tryEval x.condition;
        in
          if c.success && c.value == false
          then 0
          else child (unc || !(c.success && c.value == true)) inImports (at + "<mkIf>") x.content
        else if x._type == "merge"
        then let
          cs = safe [] x.contents;
        in
          b.foldl' (acc: i: acc + child unc inImports "${at}<mkMerge ${toString i}>" (b.elemAt cs i)) 0 (lib.range 0 (b.length cs - 1))
        else child unc inImports at x.content
      )
    else if (x._type or null) == "option"
    then 0
    else
      b.foldl' (acc: n:
        acc
        + (
          if depth == 0 && (n == "_module" || n == "home-manager")
          then 0
          else child unc (inImports || n == "imports") (sub n) x.${n}
        )) 0 (b.attrNames x);

  walkPass = decided: items: b.foldl' (acc: it: acc + (
    if decided && it.unc
    then 0
    else walk decided it.name it.unc false 0 "config" (configOf it.body)
  )) 0 items;
  walkItems = items: walkPass true items + walkPass false items;

  # ------------------------------------------------------------------ one configuration
  overlaysOf = items: b.concatMap (it: map (d: d.v) (listDefs ["nixpkgs" "overlays"] it.unc (configOf it.body))) items;
  firstDef = path: items: let
    ds = b.concatMap (it: defsAt path it.unc (configOf it.body)) items;
  in
    if ds == []
    then null
    else (b.head ds).v;
  systemOf = default: items: args: let
    fromArgs = safe null (args.system or null);
    hp = safe null (firstDef ["nixpkgs" "hostPlatform"] items);
    sys = safe null (firstDef ["nixpkgs" "system"] items);
    pick =
      if b.isString fromArgs
      then fromArgs
      else if b.isString hp
      then hp
      else if b.isAttrs hp && b.isString (safe null (hp.system or null))
      then hp.system
      else if b.isString sys
      then sys
      else default;
  in
    pick;

  # Force a package set (all overlays) inside a step.
  forcePkgs = label: ps: safe 0 (step {ph = "pkgs"; mod = label;} (b.seq (b.attrNames ps) 0));

  # Modules from `home-manager.*` of a NixOS / nix-darwin configuration, per user.
  hmUsersOf = items: let
    userDefs = b.concatMap (it: defsAt ["home-manager" "users"] it.unc (configOf it.body)) items;
    names = lib.unique (b.concatMap (d:
      if b.isAttrs d.v
      then b.attrNames d.v
      else [])
    userDefs);
    shared = b.concatMap (it: listDefs ["home-manager" "sharedModules"] it.unc (configOf it.body)) items;
    modsFor = u:
      b.concatMap (d:
        if b.isAttrs d.v && d.v ? ${u}
        then map (e: {m = e.v; inherit (e) unc;}) (defsAt [] d.unc d.v.${u})
        else [])
      userDefs;
  in {
    inherit names modsFor;
    shared = map (e: {m = e.v; inherit (e) unc;}) shared;
    extraSpecialArgs = b.foldl' (a: d: a // d.v) {} (b.filter (d: b.isAttrs d.v) (b.concatMap (it: defsAt ["home-manager" "extraSpecialArgs"] it.unc (configOf it.body)) items));
  };

  hmLib = lib.extend (final: prev: {
    hm =
      U
      // {
        dag =
          U
          // {
            entryAnywhere = data: {
              inherit data;
              before = [];
              after = [];
            };
            entryAfter = after: data: {
              inherit data after;
              before = [];
            };
            entryBefore = before: data: {
              inherit data before;
              after = [];
            };
            entryBetween = before: after: data: {inherit data before after;};
          };
        types = prev.types // {dagOf = _: prev.types.attrs;};
        gvariant = U // {mkTuple = x: x; mkUint32 = x: x; mkInt32 = x: x; mkDouble = x: x; mkString = x: x; mkArray = x: x; mkVariant = x: x; mkDictionaryEntry = x: x; mkEmptyArray = _: [];};
        generators = U;
        shell = U;
        strings = U;
        booleans = U;
        deprecations = U;
        assertions = U // {assertPlatform = _: _: _: _: {};};
      };
  });

  # kind: "nixos" | "darwin" | "home-manager"; args: what nixosSystem / darwinSystem / homeManagerConfiguration got.
  evalSystem = label: kind: args: let
    isHome = kind == "home-manager";
    special = safe {} (
      if isHome
      then args.extraSpecialArgs or {}
      else args.specialArgs or {}
    );
    userLib = safe null (args.lib or null);
    theLib =
      if isHome
      then (if b.isAttrs userLib then userLib // {inherit (hmLib) hm;} else hmLib)
      else lib;
    roots =
      map (m: {
        inherit m;
        unc = false;
      }) (
        safe [] (args.modules or [])
        ++ safe [] (args.extraModules or [])
        ++ (
          if args ? configuration
          then [args.configuration]
          else []
        )
      );
    baseArgs =
      {
        lib = theLib;
        config = throw "hostlens-stub: `config` is not modelled";
        options = throw "hostlens-stub: `options` is not modelled";
        modulesPath = ctx.modulesPath;
        specialArgs = special;
        _class = kind;
      }
      // (
        if isHome
        then {
          osConfig = throw "hostlens-stub: standalone home has no osConfig";
          nixosConfig = throw "hostlens-stub: standalone home has no nixosConfig";
        }
        else {}
      )
      // special;
    defaultSystem =
      if kind == "darwin"
      then "aarch64-darwin"
      else "x86_64-linux";
    givenPkgs = safe null (args.pkgs or null);
    givenOverlays =
      if b.isAttrs givenPkgs
      then safe [] (givenPkgs._hostlensOverlays or [])
      else [];
    nixpkgsPkgs = safe null (firstDef ["nixpkgs" "pkgs"] items);
    nixpkgsOverlays =
      if b.isAttrs nixpkgsPkgs
      then safe [] (nixpkgsPkgs._hostlensOverlays or [])
      else [];
    system =
      if isHome && b.isAttrs givenPkgs && givenPkgs ? _hostlensSystem
      then givenPkgs._hostlensSystem
      else systemOf defaultSystem items args;
    hostPkgs = pkgs.mkPkgs {
      inherit system;
      overlays = givenOverlays ++ nixpkgsOverlays ++ overlaysOf items;
    };
    fallback = {
      pkgs = hostPkgs;
      utils = U;
      baseModules = [];
      extraModules = [];
      modules = [];
      noUserModules = U;
      moduleType = lib.types.raw;
    };
    items = closure {
      inherit label fallback roots;
      args = baseArgs;
    };

    # Home Manager as a NixOS / nix-darwin module.
    hm = hmUsersOf items;
    hmUser = u: let
      hmItems = closure {
        label = "${label} home-manager.users.${u}";
        args =
          {
            lib = hmLib;
            config = throw "hostlens-stub: HM `config` is not modelled";
            options = throw "hostlens-stub: HM `options` is not modelled";
            osConfig = throw "hostlens-stub: `osConfig` is not modelled";
            nixosConfig = throw "hostlens-stub: `nixosConfig` is not modelled";
            darwinConfig = throw "hostlens-stub: `darwinConfig` is not modelled";
            modulesPath = ctx.inputDir + "/home-manager/modules";
            name = u;
            specialArgs = hm.extraSpecialArgs;
            _class = "homeManager";
          }
          // hm.extraSpecialArgs;
        fallback = {pkgs = hmPkgs;};
        # Forcing `home-manager.users.<u>` (e.g. `import ./home.nix`) happens here: announce it.
        roots = step {ph = "hm-users"; mod = "${label} home-manager.users.${u}";} (hm.modsFor u ++ hm.shared);
      };
      hmOverlays = overlaysOf hmItems;
      hmPkgs =
        if hmOverlays == []
        then hostPkgs
        else
          pkgs.mkPkgs {
            inherit system;
            overlays = givenOverlays ++ nixpkgsOverlays ++ overlaysOf items ++ hmOverlays;
          };
    in
      b.length hmItems + forcePkgs "${label} home-manager.users.${u}" hmPkgs + walkItems hmItems;
    hmCount =
      if isHome
      then 0
      else b.foldl' (acc: u: acc + safe 0 (hmUser u)) 0 (safe [] (step {ph = "hm-users"; mod = label;} hm.names));
  in {
    modules = b.length items;
    pkgs = forcePkgs label hostPkgs;
    paths = walkItems items;
    hm = hmCount;
  };
in {
  inherit closure walk walkItems defsAt configOf evalSystem callWith;
}
