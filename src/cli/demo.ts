/** `zhint demo` — placeholder until the guest-kernel issue lands. */
export async function demoCommand(_argv: string[]): Promise<number> {
  process.stderr.write('zhint demo: not implemented yet\n');
  return 1;
}
