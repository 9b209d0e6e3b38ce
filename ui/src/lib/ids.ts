// Stable ids for new records: a readable slug of the name, made unique in its list. Ids never
// change after creation and are never shown as the primary label.
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replaceAll("æ", "ae")
    .replaceAll("ø", "oe")
    .replaceAll("å", "aa")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export function uniqueId(name: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  const base = slug(name) || "item";
  if (!set.has(base)) return base;
  for (let i = 2; ; i++) if (!set.has(`${base}-${i}`)) return `${base}-${i}`;
}
