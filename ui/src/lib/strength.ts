// A hint about a passphrase's strength from its length and variety. Only a hint: the core
// enforces the minimum length.
export type Strength = "empty" | "short" | "weak" | "fair" | "strong";

export function strength(p: string): Strength {
  if (!p) return "empty";
  const len = [...p].length;
  if (len < 8) return "short";
  const classes = [/[a-zæøå]/, /[A-ZÆØÅ]/, /\d/, /[^A-Za-z0-9æøåÆØÅ]/].filter((r) => r.test(p)).length;
  const words = p.trim().split(/\s+/).length;
  const score = len + classes * 3 + (words >= 3 ? 6 : 0);
  if (score >= 26) return "strong";
  if (score >= 18) return "fair";
  return "weak";
}
