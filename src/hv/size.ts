/** Storage sizes as the CLI accepts them: `65536`, `256K`, `16M`, `4G` (binary units). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+)\s*([kKmMgG]?)(i?[bB])?\s*$/.exec(text);
  if (m === null) throw new RangeError(`not a size: '${text}' (examples: 256K, 16M, 1G)`);
  const n = Number(m[1]);
  const unit = m[2].toUpperCase();
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 * 1024 : unit === 'G' ? 1024 * 1024 * 1024 : 1;
  return n * mult;
}

/** 16777216 → '16M' */
export function formatSize(bytes: number): string {
  for (const [u, m] of [['G', 2 ** 30], ['M', 2 ** 20], ['K', 1024]] as const) {
    if (bytes >= m && bytes % m === 0) return `${bytes / m}${u}`;
  }
  return String(bytes);
}
