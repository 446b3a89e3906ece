/**
 * Benchmarks beyond the simple loops (zhint only: the peers cannot run them),
 * e.g. the guest kernel's page-hinting workload.
 */
export interface BenchExtra {
  name: string;
  what: string;
  run(): Promise<{ mips: number; steps: number }>;
}

export function benchExtras(): BenchExtra[] {
  return [];
}
