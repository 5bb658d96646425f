// web-tree-sitter copies a cursor or node into wasm memory through the runtime's generic `setValue`/`getValue`, which
// parse a type string and go through a DataView on every call: a fifth of `hostlens check` went there. On a
// little-endian host (every platform Node runs on today) the 32-bit cases are plain typed-array accesses, so the
// runtime module gets those fast paths; every other case, and big-endian hosts, keep the original functions.

interface RuntimeModule {
  HEAP32?: Int32Array;
  setValue?: (ptr: number, value: number, type?: string) => void;
  getValue?: (ptr: number, type?: string) => number;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `options` is the object given to `Parser.init`: emscripten makes that very object the runtime module. */
export function installFastMarshal(options: object): boolean {
  const module = options as RuntimeModule;
  const { setValue, getValue } = module;
  if (!littleEndian || !setValue || !getValue || !(module.HEAP32 instanceof Int32Array)) return false;
  // HEAP32 is read from the module on each call: the runtime replaces the view when wasm memory grows.
  module.setValue = (ptr, value, type) => {
    if (type === 'i32') module.HEAP32![ptr >> 2] = value;
    else setValue(ptr, value, type);
  };
  module.getValue = (ptr, type) => (type === 'i32' ? module.HEAP32![ptr >> 2]! : getValue(ptr, type));
  return true;
}
