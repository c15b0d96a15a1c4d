// Text half typed for one thing must not carry over to another: a field's
// state is reset whenever what it is for changes (another card, another map).

/** Calls `reset` before the page updates whenever `key()` changes. Must be
 * called while a component is being set up, like any effect. */
export function resetWhenChanged(key: () => string | null, reset: () => void): void {
  let last: string | null = null;
  $effect.pre(() => {
    const now = key();
    if (now === last) return;
    last = now;
    reset();
  });
}
