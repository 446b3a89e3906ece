/**
 * Storage sizes, one grammar for the CLI and the API: `65536`, `0x10000`,
 * `256K`, `16M`, `4G`, `1T` (binary units, an optional `B`/`iB`, `_`
 * separators). Null when malformed or not a safe integer.
 */
export function sizeOrNull(text: string): number | null {
  const m = /^(0x[0-9a-f]+|\d+)\s*(?:([kmgt])(?:i?b)?|b)?$/i.exec(text.trim().replace(/_/g, ''));
  if (!m) return null;
  const n = Number(m[1]);
  const mult = m[2] ? 1024 ** ('kmgt'.indexOf(m[2].toLowerCase()) + 1) : 1;
  const v = n * mult;
  return Number.isSafeInteger(v) ? v : null;
}

/** `sizeOrNull` for the API: a RangeError when malformed. */
export function parseSize(text: string): number {
  const v = sizeOrNull(text);
  if (v === null) throw new RangeError(`not a size: '${text}' (examples: 256K, 16M, 1G)`);
  return v;
}

/** 16777216 → '16M' */
export function formatSize(bytes: number): string {
  for (const [u, m] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 1024]] as const) {
    if (bytes >= m && bytes % m === 0) return `${bytes / m}${u}`;
  }
  return String(bytes);
}
