# A stand-in for nixpkgs' `lib`, written for Nix 2.8, without nixpkgs.
# The functions flakes and modules call to decide *which* files to import (attrsets, lists, strings, readDir
# helpers, mkIf/mkMerge...) behave like the real ones. Everything else is laid over the universe `U` of
# context.nix: an unknown `lib.foo` is a catchable throw. Module-system constructors (mkIf, mkMerge, mkOverride,
# mkOrder) build the same `_type`-tagged values as nixpkgs, which modules.nix unwraps.
{ctx}: let
  inherit (ctx) U;
  b = builtins;

  impl = rec {
    # ---------------------------------------------------------------- trivial
    id = x: x;
    const = x: _: x;
    flip = f: a: c: f c a;
    pipe = b.foldl' (x: f: f x);
    concat = x: y: x ++ y;
    or = x: y: x || y;
    and = x: y: x && y;
    xor = x: y: (!x) != (!y);
    boolToString = x:
      if x
      then "true"
      else "false";
    mergeAttrs = x: y: x // y;
    defaultTo = d: x:
      if x == null
      then d
      else x;
    min = x: y:
      if x < y
      then x
      else y;
    max = x: y:
      if x > y
      then x
      else y;
    mod = base: int: base - (int * (b.div base int));
    compare = a: c:
      if a < c
      then -1
      else if a > c
      then 1
      else 0;
    isFunction = f: b.isFunction f || (b.isAttrs f && f ? __functor);
    isStringLike = x: b.isString x || b.isPath x || (b.isAttrs x && (x ? outPath || x ? __toString));
    isBool = b.isBool;
    isInt = b.isInt;
    isFloat = b.isFloat;
    isString = b.isString;
    isList = b.isList;
    isAttrs = b.isAttrs;
    isPath = b.isPath;
    toFunction = v:
      if isFunction v
      then v
      else _: v;
    warn = _: x: x;
    warnIf = _: _: x: x;
    warnIfNot = _: _: x: x;
    info = _: x: x;
    throwIf = c: msg: x:
      if c
      then throw msg
      else x;
    throwIfNot = c: msg: x:
      if c
      then x
      else throw msg;
    assertMsg = c: msg: c || throw msg;
    assertOneOf = _: _: _: true;
    showWarnings = _: x: x;
    checkListOfEnum = _: _: _: x: x;
    inNixShell = false;
    version = "25.11pre-hostlens-stub";
    release = "25.11";
    codeName = "hostlens";
    oldestSupportedRelease = 2411;
    isInOldestRelease = _: false;
    trivial = lib;
    fix = f: let x = f x; in x;
    fix' = f: let x = f x // {__unfix__ = f;}; in x;
    extends = f: rattrs: self: let super = rattrs self; in super // f self super;
    composeExtensions = f: g: final: prev: let
      fApplied = f final prev;
      prev' = prev // fApplied;
    in
      fApplied // g final prev';
    composeManyExtensions = b.foldl' (acc: e: composeExtensions acc e) (_: _: {});
    makeExtensible = makeExtensibleWithCustomName "extend";
    makeExtensibleWithCustomName = name: rattrs:
      fix' (self: (rattrs self) // {${name} = f: makeExtensibleWithCustomName name (extends f rattrs);});
    functionArgs = f:
      if f ? __functor
      then f.__functionArgs or (functionArgs (f.__functor f))
      else b.functionArgs f;
    setFunctionArgs = f: args: {
      __functor = self: f;
      __functionArgs = args;
    };
    mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);
    importJSON = path: b.fromJSON (b.readFile path);
    importTOML = path: b.fromTOML (b.readFile path);

    # ---------------------------------------------------------------- lists
    singleton = x: [x];
    forEach = xs: f: map f xs;
    foldr = op: nul: list: let
      len = b.length list;
      fold' = n:
        if n == len
        then nul
        else op (b.elemAt list n) (fold' (n + 1));
    in
      fold' 0;
    fold = foldr;
    foldl = op: nul: list: b.foldl' op nul list;
    imap0 = f: list: b.genList (n: f n (b.elemAt list n)) (b.length list);
    imap1 = f: list: b.genList (n: f (n + 1) (b.elemAt list n)) (b.length list);
    imap = imap1;
    ifilter0 = ipred: input:
      map (idx: b.elemAt input idx) (b.filter (idx: ipred idx (b.elemAt input idx)) (range 0 (b.length input - 1)));
    flatten = x:
      if b.isList x
      then b.concatMap flatten x
      else [x];
    remove = e: b.filter (x: x != e);
    findSingle = pred: default: multiple: list: let
      found = b.filter pred list;
      len = b.length found;
    in
      if len == 0
      then default
      else if len != 1
      then multiple
      else b.head found;
    findFirstIndex = pred: default: list: let
      idxs = b.filter (i: pred (b.elemAt list i)) (range 0 (b.length list - 1));
    in
      if idxs == []
      then default
      else b.head idxs;
    findFirst = pred: default: list: let
      found = b.filter pred list;
    in
      if found == []
      then default
      else b.head found;
    count = pred: b.foldl' (c: x:
      if pred x
      then c + 1
      else c)
    0;
    optional = cond: elem:
      if cond
      then [elem]
      else [];
    optionals = cond: elems:
      if cond
      then elems
      else [];
    toList = x:
      if b.isList x
      then x
      else [x];
    range = first: last:
      if first > last
      then []
      else b.genList (n: first + n) (last - first + 1);
    replicate = n: elem: b.genList (_: elem) n;
    groupBy' = op: nul: pred: lst:
      b.mapAttrs (_: l: b.foldl' op nul l) (b.groupBy pred lst);
    zipListsWith = f: fst: snd: b.genList (n: f (b.elemAt fst n) (b.elemAt snd n)) (min (b.length fst) (b.length snd));
    zipLists = zipListsWith (fst: snd: {inherit fst snd;});
    reverseList = xs: let l = b.length xs; in b.genList (n: b.elemAt xs (l - n - 1)) l;
    sortOn = f: b.sort (x: y: f x < f y);
    naturalSort = b.sort b.lessThan;
    compareLists = cmp: a: c:
      if a == []
      then
        (
          if c == []
          then 0
          else -1
        )
      else if c == []
      then 1
      else let
        rel = cmp (b.head a) (b.head c);
      in
        if rel == 0
        then compareLists cmp (b.tail a) (b.tail c)
        else rel;
    take = count: sublist 0 count;
    drop = count: list: sublist count (b.length list) list;
    takeEnd = n: xs: drop (max 0 (b.length xs - n)) xs;
    dropEnd = n: xs: take (max 0 (b.length xs - n)) xs;
    sublist = start: count: list: let
      len = b.length list;
    in
      b.genList (n: b.elemAt list (n + start)) (
        if start >= len
        then 0
        else if start + count > len
        then len - start
        else count
      );
    last = list: b.elemAt list (b.length list - 1);
    init = list: take (b.length list - 1) list;
    unique = b.foldl' (acc: e:
      if b.elem e acc
      then acc
      else acc ++ [e]) [];
    uniqueStrings = list: b.attrNames (b.groupBy id list);
    allUnique = list: b.length (unique list) == b.length list;
    intersectLists = e: b.filter (x: b.elem x e);
    subtractLists = e: b.filter (x: !(b.elem x e));
    mutuallyExclusive = a: c: b.length a == 0 || !(b.any (x: b.elem x a) c);
    crossLists = f: foldl (fs: args: b.concatMap (f: map f args) fs) [f];
    concatLists = b.concatLists;
    elem = b.elem;
    elemAt = b.elemAt;
    head = b.head;
    tail = b.tail;
    length = b.length;
    filter = b.filter;
    genList = b.genList;
    any = b.any;
    all = b.all;
    partition = b.partition;
    groupBy = b.groupBy;
    sort = b.sort;
    lists = lib;

    # ---------------------------------------------------------------- strings
    concatStrings = b.concatStringsSep "";
    concatMapStrings = f: list: concatStrings (map f list);
    concatImapStrings = f: list: concatStrings (imap1 f list);
    intersperse = separator: list:
      if list == [] || b.length list == 1
      then list
      else b.tail (b.concatMap (x: [separator x]) list);
    concatMapStringsSep = sep: f: list: b.concatStringsSep sep (map f list);
    concatImapStringsSep = sep: f: list: b.concatStringsSep sep (imap1 f list);
    concatLines = list: concatMapStrings (s: s + "\n") list;
    makeSearchPath = subDir: paths: b.concatStringsSep ":" (map (p: "${toString p}/${subDir}") paths);
    makeSearchPathOutput = _: subDir: makeSearchPath subDir;
    makeBinPath = makeSearchPath "bin";
    makeLibraryPath = makeSearchPath "lib";
    optionalString = cond: string:
      if cond
      then string
      else "";
    hasPrefix = pref: str: b.substring 0 (b.stringLength pref) str == pref;
    hasSuffix = suffix: content: let
      lenContent = b.stringLength content;
      lenSuffix = b.stringLength suffix;
    in
      lenContent >= lenSuffix && b.substring (lenContent - lenSuffix) lenContent content == suffix;
    hasInfix = infix: content: b.match ".*${escapeRegex infix}.*" "${content}" != null;
    stringToCharacters = s: b.genList (p: b.substring p 1 s) (b.stringLength s);
    stringAsChars = f: s: concatStrings (map f (stringToCharacters s));
    escape = list: b.replaceStrings list (map (c: "\\${c}") list);
    escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");
    escapeShellArg = arg: "'${b.replaceStrings ["'"] ["'\\''"] (toString arg)}'";
    escapeShellArgs = concatMapStringsSep " " escapeShellArg;
    escapeNixString = s: escape ["$"] (b.toJSON s);
    toShellVar = name: value: "${name}=${escapeShellArg value}";
    lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
    upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    toLower = b.replaceStrings upperChars lowerChars;
    toUpper = b.replaceStrings lowerChars upperChars;
    toSentenceCase = s: toUpper (b.substring 0 1 s) + b.substring 1 (-1) s;
    splitString = sep: s: b.filter b.isString (b.split (escapeRegex (toString sep)) (toString s));
    removePrefix = prefix: str:
      if hasPrefix prefix str
      then b.substring (b.stringLength prefix) (-1) str
      else str;
    removeSuffix = suffix: str:
      if hasSuffix suffix str
      then b.substring 0 (b.stringLength str - b.stringLength suffix) str
      else str;
    versionOlder = v1: v2: b.compareVersions v2 v1 == 1;
    versionAtLeast = v1: v2: !versionOlder v1 v2;
    getName = x: (b.parseDrvName (x.name or x)).name;
    getVersion = x: (b.parseDrvName (x.name or x)).version;
    enableFeature = flag: feature: "--${
      if flag
      then "enable"
      else "disable"
    }-${feature}";
    withFeature = flag: feature: "--${
      if flag
      then "with"
      else "without"
    }-${feature}";
    fixedWidthString = width: filler: str: let
      strw = b.stringLength str;
    in
      if strw >= width
      then str
      else fixedWidthString width filler (filler + str);
    fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);
    toInt = str: b.fromJSON str;
    toIntBase10 = toInt;
    trim = s: let
      m = b.match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" s;
    in
      if m == null
      then ""
      else b.head m;
    fileContents = file: removeSuffix "\n" (b.readFile file);
    readPathsFromFile = _: file: map (l: /. + l) (b.filter (l: l != "") (splitString "\n" (b.readFile file)));
    sanitizeDerivationName = id;
    isStorePath = x: b.isString x && hasPrefix "/nix/store/" x;
    isValidPosixName = name: b.match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;
    replaceStrings = b.replaceStrings;
    concatStringsSep = b.concatStringsSep;
    stringLength = b.stringLength;
    substring = b.substring;
    match = b.match;
    split = b.split;
    toJSON = b.toJSON;
    fromJSON = b.fromJSON;
    strings = lib;

    # ---------------------------------------------------------------- attrsets
    attrByPath = attrPath: default: set:
      if attrPath == []
      then set
      else if b.isAttrs set && set ? ${b.head attrPath}
      then attrByPath (b.tail attrPath) default set.${b.head attrPath}
      else default;
    hasAttrByPath = attrPath: set:
      if attrPath == []
      then true
      else b.isAttrs set && set ? ${b.head attrPath} && hasAttrByPath (b.tail attrPath) set.${b.head attrPath};
    setAttrByPath = attrPath: value:
      if attrPath == []
      then value
      else {${b.head attrPath} = setAttrByPath (b.tail attrPath) value;};
    getAttrFromPath = attrPath: set: attrByPath attrPath (throw "cannot find attribute `${b.concatStringsSep "." attrPath}'") set;
    attrVals = nameList: set: map (x: set.${x}) nameList;
    attrValues = b.attrValues;
    attrNames = b.attrNames;
    catAttrs = b.catAttrs;
    getAttrs = names: attrs: genAttrs names (name: attrs.${name});
    filterAttrs = pred: set: b.listToAttrs (b.concatMap (name: let
      v = set.${name};
    in
      if pred name v
      then [(nameValuePair name v)]
      else []) (b.attrNames set));
    filterAttrsRecursive = pred: set:
      b.listToAttrs (b.concatMap (name: let
        v = set.${name};
      in
        if pred name v
        then [
          (nameValuePair name (
            if b.isAttrs v
            then filterAttrsRecursive pred v
            else v
          ))
        ]
        else []) (b.attrNames set));
    foldAttrs = op: nul: list_of_attrs:
      b.foldl' (a: n: b.foldl' (acc: name: acc // {${name} = op n.${name} (a.${name} or nul);}) a (b.attrNames n)) {} (reverseList list_of_attrs);
    foldlAttrs = f: init: set: b.foldl' (acc: name: f acc name set.${name}) init (b.attrNames set);
    collect = pred: attrs:
      if pred attrs
      then [attrs]
      else if b.isAttrs attrs
      then b.concatMap (collect pred) (b.attrValues attrs)
      else [];
    nameValuePair = name: value: {inherit name value;};
    mapAttrs = b.mapAttrs;
    mapAttrs' = f: set: b.listToAttrs (map (attr: f attr set.${attr}) (b.attrNames set));
    mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (b.attrNames attrs);
    attrsToList = mapAttrsToList nameValuePair;
    concatMapAttrs = f: v: b.foldl' (a: c: a // c) {} (mapAttrsToList f v);
    mapAttrsRecursive = f: set: mapAttrsRecursiveCond (_: true) f set;
    mapAttrsRecursiveCond = cond: f: set: let
      recurse = path:
        b.mapAttrs (name: value:
          if b.isAttrs value && cond value
          then recurse (path ++ [name]) value
          else f (path ++ [name]) value);
    in
      recurse [] set;
    genAttrs = names: f: b.listToAttrs (map (n: nameValuePair n (f n)) names);
    genAttrs' = xs: f: b.listToAttrs (map f xs);
    isDerivation = value: value.type or null == "derivation";
    optionalAttrs = cond: as:
      if cond
      then as
      else {};
    zipAttrsWithNames = names: f: sets: genAttrs names (name: f name (b.catAttrs name sets));
    zipAttrsWith = f: sets: zipAttrsWithNames (b.concatMap b.attrNames sets) f sets;
    zipAttrs = zipAttrsWith (_: values: values);
    recursiveUpdateUntil = pred: lhs: rhs: let
      f = attrPath:
        zipAttrsWith (n: values: let
          here = attrPath ++ [n];
        in
          if b.length values == 1 || pred here (b.elemAt values 1) (b.head values)
          then b.head values
          else f here values);
    in
      f [] [rhs lhs];
    recursiveUpdate = lhs: rhs: recursiveUpdateUntil (_: lhs: rhs: !(b.isAttrs lhs && b.isAttrs rhs)) lhs rhs;
    matchAttrs = pattern: attrs:
      b.all (n: attrs ? ${n} && (let
        pat = pattern.${n};
      in
        if b.isAttrs pat
        then matchAttrs pat attrs.${n}
        else pat == attrs.${n})) (b.attrNames pattern);
    overrideExisting = old: new: b.mapAttrs (name: value: new.${name} or value) old;
    mergeAttrsList = b.foldl' (a: c: a // c) {};
    unionOfDisjoint = x: y: x // y;
    intersectAttrs = b.intersectAttrs;
    removeAttrs = b.removeAttrs;
    listToAttrs = b.listToAttrs;
    recurseIntoAttrs = attrs: attrs // {recurseForDerivations = true;};
    dontRecurseIntoAttrs = attrs: attrs // {recurseForDerivations = false;};
    cartesianProduct = attrsOfLists:
      b.foldl' (listOfAttrs: attrName:
        b.concatMap (attrs: map (listValue: attrs // {${attrName} = listValue;}) attrsOfLists.${attrName}) listOfAttrs) [{}] (b.attrNames attrsOfLists);
    getOutput = output: pkg: pkg.${output} or pkg.out or pkg;
    getBin = getOutput "bin";
    getLib = getOutput "lib";
    getDev = getOutput "dev";
    getMan = getOutput "man";
    getExe = x: "${toString (x.outPath or "/nix/store/hostlens-stub")}/bin/${x.meta.mainProgram or x.pname or "stub"}";
    getExe' = x: y: "${toString (x.outPath or "/nix/store/hostlens-stub")}/bin/${y}";
    attrsets = lib;

    # ---------------------------------------------------------------- modules and options
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    mkOptionDefault = mkOverride 1500;
    mkDefault = mkOverride 1000;
    mkImageMediaOverride = mkOverride 60;
    mkForce = mkOverride 50;
    mkVMOverride = mkOverride 10;
    mkFixStrictness = id;
    mkOrder = priority: content: {
      _type = "order";
      inherit priority content;
    };
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;
    defaultOrderPriority = 1000;
    mkAliasDefinitions = option: mkIf (option.isDefined or true) option.value;
    mkAliasAndWrapDefinitions = wrap: option: mkIf (option.isDefined or true) (wrap option.value);
    # Option-renaming modules declare and forward options: nothing the stub closure follows.
    mkRenamedOptionModule = _: _: {};
    mkRenamedOptionModuleWith = _: {};
    mkRemovedOptionModule = _: _: {};
    mkAliasOptionModule = _: _: {};
    mkAliasOptionModuleMD = _: _: {};
    mkChangedOptionModule = _: _: _: {};
    mkMergedOptionModule = _: _: _: {};
    mkDerivedConfig = opt: f: mkOverride (opt.highestPrio or 100) (f opt.value);
    doRename = _: {};
    setDefaultModuleLocation = file: m: {
      _file = file;
      imports = [m];
    };
    importApply = modulePath: staticArgs: setDefaultModuleLocation modulePath (import modulePath staticArgs);
    modules = lib;
    mkOption = attrs: attrs // {_type = "option";};
    mkEnableOption = name:
      mkOption {
        default = false;
        example = true;
        description = "Whether to enable ${name}.";
        type = types.bool;
      };
    mkPackageOption = _: name: extra:
      mkOption ({
          type = types.package;
          description = "The ${toString name} package to use.";
        }
        // (b.removeAttrs extra ["default" "pkgsText" "extraDescription" "nullable"]));
    mkPackageOptionMD = mkPackageOption;
    mkSinkUndeclaredOptions = _: mkOption {};
    isOption = lib: lib._type or null == "option";
    literalExpression = text: {
      _type = "literalExpression";
      inherit text;
    };
    literalExample = literalExpression;
    literalMD = text: {
      _type = "literalMD";
      inherit text;
    };
    mdDoc = id;
    mergeEqualOption = _: defs: (b.head defs).value;
    mergeOneOption = mergeEqualOption;
    getValues = map (x: x.value);
    getFiles = map (x: x.file);
    showOption = parts: b.concatStringsSep "." parts;
    options = lib;
    # A real evalModules needs every option declared; flakes that call it for their own settings get an
    # unevaluated stub (its `config` throws), so hosts computed from such settings are not found.
    evalModules = _: {
      config = throw "hostlens-stub: lib.evalModules is not modelled";
      options = throw "hostlens-stub: lib.evalModules is not modelled";
      type = types.unspecified;
      _module = {};
    };

    types = let
      t = name: {
        _type = "option-type";
        inherit name;
        description = name;
        check = _: true;
        merge = _: defs: (b.head defs).value;
        getSubOptions = _: {};
        getSubModules = null;
        substSubModules = _: t name;
        nestedTypes = {};
        functor = {inherit name;};
        typeMerge = _: null;
        emptyValue = {};
      };
      t1 = name: _: t name;
      t2 = name: _: _: t name;
    in
      U
      // {
        str = t "str";
        string = t "string";
        nonEmptyStr = t "nonEmptyStr";
        singleLineStr = t "singleLineStr";
        lines = t "lines";
        commas = t "commas";
        envVar = t "envVar";
        bool = t "bool";
        boolByOr = t "boolByOr";
        int = t "int";
        float = t "float";
        number = t "number";
        port = t "port";
        path = t "path";
        pathInStore = t "pathInStore";
        externalPath = t "externalPath";
        package = t "package";
        shellPackage = t "shellPackage";
        anything = t "anything";
        unspecified = t "unspecified";
        raw = t "raw";
        attrs = t "attrs";
        pkgs = t "pkgs";
        deferredModule = t "deferredModule";
        optionType = t "optionType";
        luaInline = t "luaInline";
        ints =
          U
          // {
            between = t2 "int";
            unsigned = t "int";
            positive = t "int";
            u8 = t "int";
            u16 = t "int";
            u32 = t "int";
            u64 = t "int";
            s8 = t "int";
            s16 = t "int";
            s32 = t "int";
          };
        numbers =
          U
          // {
            between = t2 "number";
            nonnegative = t "number";
            positive = t "number";
          };
        attrsOf = t1 "attrsOf";
        lazyAttrsOf = t1 "lazyAttrsOf";
        listOf = t1 "listOf";
        nonEmptyListOf = t1 "listOf";
        nullOr = t1 "nullOr";
        uniq = t1 "uniq";
        unique = _: t1 "unique";
        functionTo = t1 "functionTo";
        submodule = t1 "submodule";
        submoduleWith = t1 "submodule";
        deferredModuleWith = t1 "deferredModule";
        enum = t1 "enum";
        strMatching = t1 "strMatching";
        separatedString = t1 "separatedString";
        oneOf = t1 "oneOf";
        either = t2 "either";
        coercedTo = _: _: t1 "coercedTo";
        addCheck = ty: _: ty;
        attrTag = t1 "attrTag";
        mkOptionType = attrs: t (attrs.name or "custom") // attrs;
        isType = type: x: (x._type or "") == type;
        setType = typeName: value: value // {_type = typeName;};
      };
    mkOptionType = attrs: types.mkOptionType attrs;
    isType = type: x: (x._type or "") == type;
    setType = typeName: value: value // {_type = typeName;};

    # ---------------------------------------------------------------- files
    # Real helpers that read the disk: strace sees the same readDir / readFile calls Nix would make.
    filesystem =
      U
      // {
        listFilesRecursive = dir:
          flatten (mapAttrsToList (name: type:
            if type == "directory"
            then filesystem.listFilesRecursive (dir + "/${name}")
            else dir + "/${name}") (b.readDir dir));
        pathType = path:
          if b.pathExists (toString path + "/.")
          then "directory"
          else "regular";
        pathIsDirectory = path: b.pathExists (toString path + "/.");
        pathIsRegularFile = path: b.pathExists path && !(b.pathExists (toString path + "/."));
        haveWindowsDrive = _: false;
      };
    # Sources are copied to the store when a derivation is built; the stub hands back the path so that a
    # walk over a package's attributes sees it (see modules.nix).
    cleanSource = src: src;
    cleanSourceWith = args: args.src;
    sourceByRegex = src: _: src;
    sourceFilesBySuffices = src: _: src;
    sources =
      U
      // {
        inherit cleanSource cleanSourceWith sourceByRegex sourceFilesBySuffices;
        cleanSourceFilter = _: _: true;
        pathIsGitRepo = _: false;
      };
    fileset =
      U
      // {
        toSource = args: args.root;
        unions = id;
        union = a: _: a;
        intersection = a: _: a;
        difference = a: _: a;
        fileFilter = _: path: path;
        maybeMissing = id;
        gitTracked = id;
        traceVal = id;
        trace = _: x: x;
      };

    # ---------------------------------------------------------------- misc namespaces
    systems =
      U
      // {
        flakeExposed = ["x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" "armv6l-linux" "armv7l-linux" "i686-linux" "powerpc64le-linux" "riscv64-linux" "x86_64-freebsd"];
        doubles =
          U
          // {
            all = systems.flakeExposed;
            linux = ["x86_64-linux" "aarch64-linux" "i686-linux" "armv7l-linux" "riscv64-linux"];
            darwin = ["x86_64-darwin" "aarch64-darwin"];
          };
        elaborate = system: platformFor (system.system or system);
        examples = U;
        inspect = U;
      };
    platformFor = system: let
      parts = splitString "-" system;
      kernel = b.elemAt parts 1;
      cpu = b.head parts;
    in
      U
      // {
        inherit system;
        config = system;
        isLinux = kernel == "linux";
        isDarwin = kernel == "darwin";
        isFreeBSD = kernel == "freebsd";
        isx86_64 = cpu == "x86_64";
        isx86 = cpu == "x86_64" || cpu == "i686";
        isAarch64 = cpu == "aarch64";
        isAarch = cpu == "aarch64" || hasPrefix "armv" cpu;
        isi686 = cpu == "i686";
        isRiscV = hasPrefix "riscv" cpu;
        isMusl = false;
        isStatic = false;
        is64bit = cpu != "i686" && !(hasPrefix "armv" cpu);
        isWindows = false;
        isUnix = true;
        parsed =
          U
          // {
            cpu = U // {name = cpu;};
            kernel = U // {name = kernel;};
          };
        uname = U // {processor = cpu;};
        linuxArch = cpu;
        darwinArch = cpu;
        canExecute = _: true;
        emulatorAvailable = _: true;
      };
    licenses = U;
    maintainers = U;
    teams = U;
    platforms = U // {all = systems.flakeExposed; linux = systems.doubles.linux; darwin = systems.doubles.darwin; unix = systems.flakeExposed;};
    fakeHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    fakeSha256 = "0000000000000000000000000000000000000000000000000000";
    versions = U // {
      majorMinor = v: let p = splitString "." v; in concatStringsSep "." (take 2 p);
      major = v: b.head (splitString "." v);
      minor = v: b.elemAt (splitString "." v) 1;
    };
    meta = U // {
      getExe = getExe;
      getExe' = getExe';
      addMetaAttrs = m: drv: drv // {meta = (drv.meta or {}) // m;};
      setName = name: drv: drv // {inherit name;};
      lowPrio = id;
      hiPrio = id;
    };
    lowPrio = id;
    hiPrio = id;
    addMetaAttrs = meta.addMetaAttrs;
    callPackageWith = autoArgs: fn: args: let
      f =
        if b.isFunction fn
        then fn
        else import fn;
    in
      f ((b.intersectAttrs (b.functionArgs f) autoArgs) // args);
    callPackagesWith = callPackageWith;
    makeOverridable = f: f;
    # `nixpkgs.lib.extend` is common in flakes that add a `lib.my` namespace.
    extend = extendWith lib;
  };

  extendWith = base: f: let
    self = base // f self base;
  in
    self // {extend = extendWith self;};

  # nixpkgs' `lib.path` (not `builtins.path`): `append` is how flakes name files from the repository root
  # (`relativeToRoot = lib.path.append ../.;`).
  pathLib =
    U
    // {
      append = path: subpath:
        assert b.isPath path;
        assert b.isString subpath && subpath != "" && b.substring 0 1 subpath != "/";
          path + ("/" + subpath);
    };

  lib = U // b // impl // {inherit lib; path = pathLib;};
in
  lib
