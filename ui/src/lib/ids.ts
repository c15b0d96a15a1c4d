/** A short id from a title, unique among `taken`: "Photo line" → "photo_line", "photo_line_2". */
export function freshId(title: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base =
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 32) || "step";
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The entry whose name or id best matches a few typed letters: an exact
 * match, else a name starting with them, else a name with a word starting
 * with them, else an id starting with them, else a name containing them.
 * The room sees names, not ids: "c" is Cashier before "Licensing counter"
 * (id `counter`). */
export function matchByLetters<T extends { id: string; name: string }>(typed: string, items: readonly T[]): T | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  const name = (i: T) => i.name.toLowerCase();
  return (
    items.find((i) => i.id.toLowerCase() === t || name(i) === t) ??
    items.find((i) => name(i).startsWith(t)) ??
    items.find((i) => name(i).split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(t))) ??
    items.find((i) => i.id.toLowerCase().startsWith(t)) ??
    items.find((i) => name(i).includes(t))
  );
}

/** The name of the stage or department `id`, or the id itself when the map
 * has none by that id (a half-built map may name one not yet added). */
export function nameOf(items: readonly { id: string; name: string }[], id: string): string {
  return items.find((i) => i.id === id)?.name ?? id;
}
