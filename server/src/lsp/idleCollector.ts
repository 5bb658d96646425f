// After a bulk pass (the first index, a workspace diagnostics pass, a typing run) the heap holds tens of MB of
// throwaway parses that V8 keeps until its next major collection, so the resident set sat near 200 MB on a 5,000-file
// fleet whose live heap is about 25 MB. One collection a second after such work ends gives that memory back at idle;
// a long pass also collects between its slices.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const IDLE_MS = 1_000;
let timer: NodeJS.Timeout | null = null;
let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      // A context created after the flag is set has `gc`; the flag changes nothing else.
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Collects garbage now: for a long bulk pass, between slices, so its throwaway parses never pile up. */
export function collectNow(): void { collector()?.(); }

/** Collects garbage once the process has been idle for a second since the last call. */
export function collectWhenIdle(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => { timer = null; collector()?.(); }, IDLE_MS);
  timer.unref();
}
