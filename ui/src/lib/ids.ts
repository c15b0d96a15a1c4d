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
 * match, else a name starting with them, else a name containing them. */
export function matchByLetters<T extends { id: string; name: string }>(typed: string, items: readonly T[]): T | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  return (
    items.find((i) => i.id.toLowerCase() === t || i.name.toLowerCase() === t) ??
    items.find((i) => i.name.toLowerCase().startsWith(t) || i.id.toLowerCase().startsWith(t)) ??
    items.find((i) => i.name.toLowerCase().includes(t))
  );
}
