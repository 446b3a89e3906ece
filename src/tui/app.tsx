/**
 * `zhint debug`: the terminal user interface (ink 6 + React 19) over a
 * Session. Panes: code (disassembly with source, symbols, `=>`, breakpoint
 * gutter, branch hints), registers + PSW, control registers, memory (hex,
 * ASCII, EBCDIC), page-state map, event log, hypervisor statistics, console.
 * 80×24 shows code, registers and one lower pane (Tab picks it); wider and
 * taller terminals show more panes at once.
 */
import React, { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { insnText, posText, type Session } from './session.js';
import { asciiOf, EBCDIC, readMem } from './view.js';
import { addrHex, hex, hex64 } from '../trace/trace.js';
import { ORC_NAMES, PAIRS } from '../hv/page-states.js';

export const PANES = ['code', 'registers', 'memory', 'pages', 'events', 'stats', 'console', 'control'] as const;
export type Pane = (typeof PANES)[number];
const LOWER: Pane[] = ['memory', 'pages', 'events', 'stats', 'console', 'control'];

export const HELP_LINE = 's step  n next  c cont  b break  S/N/C reverse step/next/cont  g goto  w watch  Tab pane  : cmd  ? help  q quit';

export const HELP_TEXT = [
  'zhint debug — keys',
  '',
  '  s   step one instruction (an interruption or a wake-up counts as a step)',
  '  n   next: step over a call (BRAS BRASL BASR BAS)',
  '  c   continue to a breakpoint, a watchpoint or a stop (Ctrl-C stops the guest)',
  '  b   toggle a breakpoint at the code cursor (Up/Down move it in the code pane)',
  '  S   reverse step          N   reverse next          C   reverse continue',
  '  g   go to an address or symbol (code pane; memory pane when it has the focus)',
  '  w   watchpoint on a storage range: ADDR [LEN]',
  '  Tab cycle the pane focus; in the memory pane: Up/Down/PgUp/PgDn scroll,',
  '      a cycles virtual/real/absolute, f follows a register',
  '  :   command: break ADDR, delete [ADDR|all], x ADDR [LEN], watch ADDR [LEN],',
  '      set rN V | set psw ADDR | set cc N | set mem ADDR HEX, info [break|snap],',
  '      trace on|off, step N, rs [N], rn, rc, space virtual|real|absolute, follow rN',
  '  q   quit            ?   this screen (any key closes it)',
  '',
  'Page states: S stable, U unused, V volatile, P potentially volatile;',
  'r resident, p preserved (paged out), z zero (discarded or never used).',
];

const STATE_STYLE: Record<string, { ch: string; color: string }> = {
  Sr: { ch: '#', color: 'green' }, Sp: { ch: 's', color: 'cyan' }, Sz: { ch: '.', color: 'gray' },
  Ur: { ch: 'U', color: 'blue' }, Uz: { ch: 'u', color: 'blue' },
  Vr: { ch: 'V', color: 'yellow' }, Vz: { ch: 'v', color: 'red' }, Pr: { ch: 'P', color: 'magenta' },
};

function Header({ title, focused, width }: { title: string; focused: boolean; width: number }) {
  const t = ` ${title} `;
  return <Text inverse={focused} bold={focused} color={focused ? undefined : 'cyan'}>{(t + '─'.repeat(Math.max(0, width - t.length))).slice(0, width)}</Text>;
}

const clip = (s: string, w: number) => (s.length > w ? s.slice(0, Math.max(0, w)) : s);

// ================= panes =================

function CodePane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const c = s.m.cpu;
  const ia = c.ia;
  const center = s.cursor ?? ia;
  const rows = height - 1;
  // start at the nearest symbol (or a little before) so instruction boundaries are right
  const sym = s.lookup?.(center);
  let start = sym !== undefined && center - sym.addr < 4096 ? sym.addr : center;
  const starts: number[] = [];
  for (let a = start; a < center && starts.length < 4096;) {
    starts.push(a);
    const l = s.insnAt(a);
    a += l.len;
  }
  const before = Math.min(starts.length, Math.max(1, Math.floor(rows / 3)));
  start = starts.length > 0 ? starts[starts.length - before] ?? center : center;
  if (starts.length > 0 && starts[starts.length - 1] + s.insnAt(starts[starts.length - 1]).len !== center) start = center;
  const lines: React.ReactNode[] = [];
  let a = start;
  const srcAt = s.sourceLine(ia);
  const title = `code ${srcAt ? `${srcAt.file.split('/').pop()}:${srcAt.line}` : s.file}`;
  while (lines.length < rows) {
    const name = s.symbols.size > 0 ? [...s.symbols].find(([, v]) => v === a)?.[0] : undefined;
    if (name !== undefined && lines.length < rows - 1) lines.push(<Text key={`l${a}`} color="cyan">{clip(`   ${name}:`, width)}</Text>);
    const l = s.insnAt(a);
    const bp = s.tl.breakpoints.has(a);
    const cur = a === ia;
    const cursor = s.cursor !== null && a === s.cursor;
    const text = insnText(l);
    const hint = cur && l.readable ? s.branchHint(l) : '';
    const src = s.sourceLine(a);
    const bytes = Array.from(l.bytes.subarray(0, l.len), (b) => b.toString(16).padStart(2, '0')).join('');
    let body = `${addrHex(a)} ${bytes.padEnd(12)} ${text.padEnd(26)}${hint ? ` [${hint}]` : ''}`;
    if (src && src.text && width - body.length > 12) body += `  ${src.text.startsWith('#') ? '' : '# '}${src.text.replace(/\s+#.*$/, '')}`.replace(/^\s+#\s*$/, '');
    lines.push(
      <Text key={`i${a}`} inverse={cursor && !cur} bold={cur}>
        <Text color="red">{bp ? '●' : ' '}</Text>
        <Text color="green">{cur ? '=>' : '  '}</Text>
        {clip(' ' + body, width - 3)}
      </Text>,
    );
    a += Math.max(2, l.len);
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title={title} focused={focused} width={width} />
      {lines}
    </Box>
  );
}

function RegsPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const c = s.m.cpu;
  const rows: React.ReactNode[] = [];
  for (let r = 0; r < 16; r++) {
    rows.push(
      <Text key={r} color={s.changed.has(r) ? 'yellow' : undefined} bold={s.changed.has(r)}>
        {`r${r}`.padEnd(4)}{hex64(c.hi[r], c.lo[r])}
      </Text>,
    );
  }
  const f = (on: boolean, ch: string) => (on ? ch : '.');
  const psw = [
    `PSW ${hex64(c.pswMaskHi(), c.pswMaskLo())}`,
    `    ${hex(c.ia, 16)}`,
    `key ${c.key} ${f(c.dat, 'T')}${f(c.io, 'I')}${f(c.ext, 'E')}${f(c.mcheck, 'M')}${f(c.wait, 'W')}${f(c.problem, 'P')} as ${['pri', 'ar', 'sec', 'home'][c.asc]}`,
    `cc ${c.cc} pm ${c.pm.toString(16)} amode ${c.amode}`,
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title="registers" focused={focused} width={width} />
      {rows.slice(0, Math.max(0, height - 1 - psw.length))}
      {psw.slice(0, Math.max(0, height - 17)).map((l, k) => <Text key={`p${k}`} color={k === 2 ? 'cyan' : undefined}>{clip(l, width)}</Text>)}
    </Box>
  );
}

function ControlPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const c = s.m.cpu;
  const two = width >= 42;
  const rows: React.ReactNode[] = [];
  const cell = (r: number) => <Text key={r} color={s.changedCr.has(r) ? 'yellow' : undefined}>{`c${r}`.padEnd(4)}{hex64(c.crh[r], c.crl[r])}{two ? '  ' : ''}</Text>;
  for (let r = 0; r < (two ? 8 : 16); r++) rows.push(<Text key={`cr${r}`}>{cell(r)}{two ? cell(r + 8) : ''}</Text>);
  rows.push(<Text key="pfx">{clip(`prefix ${addrHex(c.prefix)}`, width)}</Text>);
  rows.push(<Text key="idle">{clip(`idle ${c.idleUs}us`, width)}</Text>);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title="control registers" focused={focused} width={width} />
      {rows.slice(0, height - 1)}
    </Box>
  );
}

function MemoryPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const bpr = width >= 8 + 1 + 16 * 2 + 4 + 2 + 16 + 1 + 16 ? 16 : 8;
  const rows = height - 1;
  const base = s.memAddr - (s.memAddr % bpr);
  const { bytes, ok } = readMem(s.m, base, bpr * rows, s.memSpace);
  const lines: React.ReactNode[] = [];
  for (let r = 0; r < rows; r++) {
    let hexs = '';
    let asc = '';
    let ebc = '';
    for (let k = 0; k < bpr; k++) {
      const i = r * bpr + k;
      hexs += ok[i] ? bytes[i].toString(16).padStart(2, '0') : '--';
      if (k % 4 === 3) hexs += ' ';
      asc += ok[i] ? asciiOf(bytes[i]) : ' ';
      ebc += ok[i] ? EBCDIC[bytes[i]] : ' ';
    }
    lines.push(<Text key={r}>{clip(`${addrHex(base + r * bpr)} ${hexs}|${asc}|${ebc}|`, width)}</Text>);
  }
  const follow = s.memFollow >= 0 ? ` follows r${s.memFollow}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title={`memory ${s.memSpace}${follow} (ascii|ebcdic)`} focused={focused} width={width} />
      {lines}
    </Box>
  );
}

function PagesPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const hv = s.m.hv;
  const G = hv.guestFrames;
  const census = hv.stats().census;
  const legendOf = (ps: readonly string[]) => ps.map((p) => `${STATE_STYLE[p].ch}${p} ${census[p as keyof typeof census]}`).join(' ');
  const legend = legendOf(PAIRS).length <= width ? [legendOf(PAIRS)] : [legendOf(PAIRS.slice(0, 4)), legendOf(PAIRS.slice(4))];
  const rows = Math.max(1, height - 2 - legend.length);
  const cells = rows * width;
  const per = Math.max(1, Math.ceil(G / cells));
  const lines: React.ReactNode[] = [];
  const order = ['Vz', 'Uz', 'Sp', 'Pr', 'Vr', 'Ur', 'Sr', 'Sz'];
  for (let r = 0; r < rows; r++) {
    const spans: React.ReactNode[] = [];
    for (let k = 0; k < width; k++) {
      const first = (r * width + k) * per;
      if (first >= G) break;
      // the most telling state of the cell's frames (discards first, never-touched last)
      let best = 7;
      for (let p = first; p < Math.min(G, first + per); p++) best = Math.min(best, order.indexOf(hv.stateOf(p)));
      const st = STATE_STYLE[order[best]];
      spans.push(<Text key={k} color={st.color}>{st.ch}</Text>);
    }
    lines.push(<Text key={r}>{spans}</Text>);
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title={`page states: ${G} frames${per > 1 ? `, ${per}/cell` : ''}`} focused={focused} width={width} />
      {lines}
      {legend.map((l, k) => <Text key={`lg${k}`}>{clip(l, width)}</Text>)}
      <Text>{clip(`host pool ${hv.used}/${hv.hostFrames} frames used, swap ${hv.swap.size}`, width)}</Text>
    </Box>
  );
}

function EventsPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const n = height - 1;
  const tail = s.log.slice(-n);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title={`events (${s.log.length})`} focused={focused} width={width} />
      {tail.map((e) => (
        <Text key={e.seq} color={e.kind === 'discard-fault' ? 'red' : e.kind === 'interrupt' ? 'yellow' : e.kind === 'essa' ? 'cyan' : e.kind === 'trace' ? 'gray' : undefined}>
          {clip(`${String(e.step).padStart(7)} ${e.text}`, width)}
        </Text>
      ))}
    </Box>
  );
}

function StatsPane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const st = s.m.stats();
  const mem = s.tl.memory();
  const lines = [
    `steps ${st.steps}  ${s.ips > 0 ? `${(s.ips / 1e6).toFixed(2)} MIPS` : ''}`,
    `host ${st.hostFramesUsed}/${st.hostFrames} of ${st.guestFrames}  cmma ${st.cmma ? 'on' : 'off'} ${st.reclaimPolicy}`,
    `page-outs ${st.pageOuts}  page-ins ${st.pageIns}  zero-fills ${st.zeroFills}`,
    `discards U ${st.discardsUnused}  V ${st.discardsVolatile}  swap drops ${st.swapDrops}`,
    `discard faults ${st.discardFaults}  disk r ${st.diskReads} w ${st.diskWrites}`,
    `ESSA ${st.essaTotal}: ${st.essaByOrc.map((n, k) => (n > 0 ? `${ORC_NAMES[k].replace('set-', '')} ${n}` : '')).filter(Boolean).join(', ')}`,
    `history ${mem.snapshots} snapshots ${(mem.bytes / 1048576).toFixed(1)} MiB from step ${s.tl.origin.steps}`,
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title="hypervisor" focused={focused} width={width} />
      {lines.slice(0, height - 1).map((l, k) => <Text key={k}>{clip(l, width)}</Text>)}
    </Box>
  );
}

function ConsolePane({ s, width, height, focused }: { s: Session; width: number; height: number; focused: boolean }) {
  const all = s.m.console.split('\n');
  if (all[all.length - 1] === '') all.pop();
  const lines = all.slice(-(height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header title="console" focused={focused} width={width} />
      {lines.map((l, k) => <Text key={k}>{clip(l, width)}</Text>)}
    </Box>
  );
}

type PaneProps = { s: Session; width: number; height: number; focused: boolean };
const PANE_VIEW: Record<Pane, (p: PaneProps) => React.ReactNode> = {
  code: CodePane, registers: RegsPane, memory: MemoryPane, pages: PagesPane,
  events: EventsPane, stats: StatsPane, console: ConsolePane, control: ControlPane,
};

function P({ pane, ...p }: PaneProps & { pane: Pane }) {
  const V = PANE_VIEW[pane];
  return <>{V(p)}</>;
}

// ================= the application =================

type Prompt = { label: string; run: (text: string) => Promise<void> | void } | null;

export interface AppProps {
  session: Session;
  /** terminal size (default: the output stream's) */
  cols?: number;
  rows?: number;
  onQuit?: () => void;
}

export function App({ session: s, cols, rows, onQuit }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  // one state object, updated functionally: keys typed faster than the screen redraws still count
  const [ui, setUi] = useState<{ focus: Pane; lower: Pane }>({ focus: 'code', lower: 'events' });
  const { focus, lower } = ui;
  // the prompt lives in a ref: text typed (or pasted) right after ':' must reach it before a redraw
  const promptRef = useRef<{ p: Prompt; input: string }>({ p: null, input: '' });
  const prompt = promptRef.current.p;
  const input = promptRef.current.input;
  const setPrompt = (p: Prompt) => { promptRef.current = { p, input: '' }; redraw(); };
  const [help, setHelp] = useState(false);
  const [size, setSize] = useState({ w: cols ?? stdout?.columns ?? 80, h: rows ?? stdout?.rows ?? 24 });

  useEffect(() => s.onChange(redraw), [s]);
  useEffect(() => {
    if (cols !== undefined || stdout === undefined) return;
    const on = () => setSize({ w: stdout.columns, h: stdout.rows });
    stdout.on('resize', on);
    return () => { stdout.off('resize', on); };
  }, [stdout, cols]);

  const W = Math.max(60, size.w);
  const H = Math.max(20, size.h);

  const quit = () => {
    onQuit?.();
    exit();
  };

  const ask = (label: string, run: (t: string) => Promise<void> | void) => setPrompt({ label, run });

  useInput((ch, key) => {
    // several characters in one chunk (typed ahead, pasted, tmux send-keys): one key at a time
    if (ch.length > 1 && !key.ctrl && !key.meta) {
      for (const c of ch) handle(c, { ...key, return: c === '\r' || c === '\n', tab: c === '\t', shift: false });
      return;
    }
    handle(ch, key);
  });

  function handle(ch: string, key: Key): void {
    if (key.ctrl && ch === 'c') {
      if (s.running) s.interrupt();
      else { s.message = 'Ctrl-C stops a running guest; q quits'; redraw(); }
      return;
    }
    if (help) { setHelp(false); return; }
    const pr = promptRef.current;
    if (pr.p !== null) {
      const p = pr.p;
      const submit = () => {
        const text = pr.input;
        setPrompt(null);
        void Promise.resolve(p.run(text)).then(redraw, (e: Error) => { s.message = `error: ${e.message}`; redraw(); });
      };
      if (key.return) submit();
      else if (key.escape) setPrompt(null);
      else if (key.backspace || key.delete) { pr.input = pr.input.slice(0, -1); redraw(); }
      else if (!key.ctrl && !key.meta && ch) {
        // a paste may bring the Enter along
        const nl = ch.search(/[\r\n]/);
        pr.input += nl < 0 ? ch : ch.slice(0, nl);
        redraw();
        if (nl >= 0) submit();
      }
      return;
    }
    if (s.running) return; // keys wait while the guest runs (Ctrl-C stops it)
    if (key.tab) {
      setUi((u) => {
        const next = PANES[(PANES.indexOf(u.focus) + (key.shift ? PANES.length - 1 : 1)) % PANES.length];
        return { focus: next, lower: LOWER.includes(next) ? next : u.lower };
      });
      return;
    }
    if (focus === 'memory' && (key.upArrow || key.downArrow || key.pageUp || key.pageDown)) {
      const step = key.pageUp || key.pageDown ? 128 : 16;
      s.memAddr = Math.max(0, s.memAddr + (key.upArrow || key.pageUp ? -step : step));
      s.memFollow = -1;
      redraw();
      return;
    }
    if (focus === 'code' && (key.upArrow || key.downArrow)) {
      const cur = s.cursor ?? s.m.cpu.ia;
      if (key.downArrow) s.cursor = cur + s.insnAt(cur).len;
      else {
        // previous instruction: the longest one that ends here
        for (const n of [2, 4, 6]) if (s.insnAt(cur - n).len === n) { s.cursor = cur - n; break; }
      }
      redraw();
      return;
    }
    switch (ch) {
      case 'q': quit(); return;
      case '?': setHelp(true); return;
      case 's': s.step(); return;
      case 'n': void s.next(); return;
      case 'c': void s.cont(); return;
      case 'S': s.reverseStep(); return;
      case 'N': s.reverseNext(); return;
      case 'C': s.reverseContinue(); return;
      case 'b': s.toggleBreak(s.cursor ?? s.m.cpu.ia); return;
      case 'g':
        ask('go to (address or symbol): ', (t) => {
          if (focus === 'memory') { s.memAddr = s.parseAddr(t); s.memFollow = -1; }
          else s.cursor = s.parseAddr(t);
        });
        return;
      case 'w': ask('watch ADDR [LEN]: ', (t) => s.command(`watch ${t}`).then(() => undefined)); return;
      case ':': ask(':', (t) => s.command(t).then(() => undefined)); return;
      case 'a':
        if (focus === 'memory') { s.memSpace = s.memSpace === 'virtual' ? 'real' : s.memSpace === 'real' ? 'absolute' : 'virtual'; redraw(); }
        return;
      case 'f':
        if (focus === 'memory') ask('follow register (rN): ', (t) => s.command(`follow ${t}`).then(() => undefined));
        return;
      default:
    }
  }

  if (help) {
    return (
      <Box flexDirection="column" width={W} height={H}>
        {HELP_TEXT.slice(0, H).map((l, k) => <Text key={k} bold={k === 0}>{clip(l, W)}</Text>)}
      </Box>
    );
  }

  const c = s.m.cpu;
  const p = s.tl.pos();
  const status = `zhint debug ${s.file}  step ${posText(p)}  ia ${addrHex(c.ia)} ${s.symbolText(c.ia)}${s.running ? '  RUNNING' : c.stopReason ? `  [${c.stopReason}]` : ''}`;
  const midH = H - 3;
  const RW = 21;
  const big = W >= 120;
  const leftW = big ? Math.min(72, W - RW - 2 - 40) : W - RW - 1;
  const thirdW = big ? W - leftW - RW - 2 : 0;
  const codeH = Math.max(8, Math.min(midH - 6, Math.floor(midH * 0.55)));
  const lowH = midH - codeH;
  const pane = (pn: Pane, width: number, height: number) => <P key={pn} pane={pn} s={s} width={width} height={height} focused={focus === pn} />;

  let leftLower: React.ReactNode;
  let third: React.ReactNode = null;
  if (!big) {
    leftLower = pane(lower, leftW, lowH);
  } else {
    leftLower = pane(lower === 'control' || lower === 'memory' ? lower : 'memory', leftW, lowH);
    // the third column: pages, stats, events, console stacked
    const pagesH = Math.max(6, Math.floor(midH * 0.3));
    const statsH = 8;
    const consH = Math.max(3, Math.floor((midH - pagesH - statsH) * 0.3));
    const evH = midH - pagesH - statsH - consH;
    third = (
      <Box flexDirection="column" width={thirdW} marginLeft={1}>
        {pane('pages', thirdW, pagesH)}
        {pane('stats', thirdW, statsH)}
        {pane('events', thirdW, evH)}
        {pane('console', thirdW, consH)}
      </Box>
    );
  }
  const msg = prompt !== null ? `${prompt.label}${input}█` : s.message;
  return (
    <Box flexDirection="column" width={W} height={H}>
      <Text inverse>{clip(status.padEnd(W), W)}</Text>
      <Box flexDirection="row" height={midH}>
        <Box flexDirection="column" width={leftW}>
          {pane('code', leftW, codeH)}
          {leftLower}
        </Box>
        <Box flexDirection="column" width={RW} marginLeft={1}>
          {pane('registers', RW, Math.min(midH, 21))}
          {big && midH >= 21 + 10 ? pane('control', RW, Math.min(18, midH - 21)) : null}
        </Box>
        {third}
      </Box>
      <Text color={msg.startsWith('error') ? 'red' : 'green'}>{clip(msg, W)}</Text>
      <Text dimColor>{clip(HELP_LINE, W)}</Text>
    </Box>
  );
}
