/** The `p`-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: number[]) => percentile(values, 50);

/** Rounds to `digits` decimals. */
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One timed run of a row or of its baseline. */
export interface TimedRun {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** The medians of a row's runs and of its baseline's runs in the same bench, and their ratio. */
export function medianComparison(runs: TimedRun[], baselineRuns: TimedRun[]) {
  const perSecond = median(runs.map((r) => r.perSecond));
  const baselinePerSecond = median(baselineRuns.map((r) => r.perSecond));
  return {
    perSecond,
    baselinePerSecond,
    ratio: round(perSecond / baselinePerSecond, 2),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    baselineP50Ms: median(baselineRuns.map((r) => r.p50Ms)),
    baselineP99Ms: median(baselineRuns.map((r) => r.p99Ms)),
  };
}

/**
 * A row's runs against a baseline's runs of the same bench: the baseline's median rate, the ratio of the medians,
 * and the spread of each run's ratio to the baseline run beside it (runs paired as in {@link medianComparison}).
 */
export function ratioTo(runs: Array<{ perSecond: number }>, baselineRuns: Array<{ perSecond: number }>): { baselinePerSecond: number; ratio: number; ratioSpread: [number, number] } {
  const baselinePerSecond = median(baselineRuns.map((r) => r.perSecond));
  return {
    baselinePerSecond,
    ratio: round(median(runs.map((r) => r.perSecond)) / baselinePerSecond, 2),
    ratioSpread: spread(runs.map((r, i) => round(r.perSecond / baselineRuns[i].perSecond, 2))),
  };
}

/**
 * A reference's figures when it signs or checks with the services' signature library (libsecp256k1) instead of
 * its declared one: its median rate and the row's ratio to it ({@link ratioTo}).
 */
export function sameLibraryFigures(
  runs: TimedRun[],
  sameLibraryRuns: TimedRun[],
): { sameLibraryBaselinePerSecond: number; sameLibraryRatio: number; sameLibraryRatioSpread: [number, number] } {
  const { baselinePerSecond, ratio, ratioSpread } = ratioTo(runs, sameLibraryRuns);
  return { sameLibraryBaselinePerSecond: baselinePerSecond, sameLibraryRatio: ratio, sameLibraryRatioSpread: ratioSpread };
}

/** Resident and peak resident memory of a process, MB (Linux /proc). */
export async function processMemoryMb(pid: number): Promise<{ rssMb: number; peakMb: number } | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: round(kb('VmRSS') / 1024), peakMb: round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

/** A process and its live children (e.g. cluster workers), from Linux /proc. */
async function processTree(pid: number): Promise<number[]> {
  const { readFile } = await import('node:fs/promises');
  try {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
    return children ? [pid, ...children.split(/\s+/).map(Number)] : [pid];
  } catch {
    return [pid];
  }
}

/** Sum of the resident and peak resident memory of a process and its children, MB. */
export async function treeMemoryMb(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  let rssMb = 0;
  let peakMb = 0;
  for (const p of await processTree(pid)) {
    const m = await processMemoryMb(p);
    rssMb += m?.rssMb ?? 0;
    peakMb += m?.peakMb ?? 0;
  }
  return { rssMb: round(rssMb), peakMb: round(peakMb) };
}

/** CPU time (user + system) a process and its live children have used so far, ms (Linux /proc). */
export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  let ticks = 0;
  for (const p of await processTree(pid)) {
    try {
      const fields = (await readFile(`/proc/${p}/stat`, 'utf8')).split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Resident memory of a process and of each of its children (cluster workers), MB. */
export async function memoryByProcessMb(pid: number): Promise<{ primaryMb: number; childrenMb: number[] }> {
  const [primary, ...children] = await processTree(pid);
  const rss = async (p: number) => (await processMemoryMb(p))?.rssMb ?? 0;
  return { primaryMb: await rss(primary), childrenMb: await Promise.all(children.map(rss)) };
}

/** The smallest and largest of `values` (the spread of a median's runs). */
export const spread = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
