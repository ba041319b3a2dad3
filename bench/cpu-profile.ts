import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './common';

/** The parts of a V8 .cpuprofile this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  category: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled time inside the window, ms. */
  totalMs: number;
  samples: number;
  windowed: boolean;
  top: SelfTime[];
  categories: { category: string; ms: number; share: number }[];
}

function location(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(ROOT, path) : path;
}

/** Where a function lives, coarsely: a package, a lib of this repo, Node itself, or V8. */
function categoryOf(name: string, where: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)') return 'V8 (program/idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (pkg) return pkg[1];
  if (where.startsWith('libs/')) return where.split('/').slice(0, 2).join('/');
  if (where.startsWith('bench/')) return 'bench harness';
  if (where.startsWith('node:')) return 'Node internals';
  return 'V8 builtins';
}

/**
 * Self time per function of a .cpuprofile, cut to [startUs, endUs] of the monotonic clock when the window
 * overlaps the profile (else the whole profile).
 */
export function summariseProfile(profile: CpuProfile, startUs?: number, endUs?: number, topN = 15): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  let time = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (time += delta));
  const windowed =
    startUs !== undefined && endUs !== undefined && startUs >= profile.startTime && endUs <= profile.endTime + 1e6;
  const byFunction = new Map<string, SelfTime>();
  let totalUs = 0;
  let samples = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    if (windowed && (stamps[i] < startUs! || stamps[i] > endUs!)) continue;
    // a sample stands for the time until the next one
    const us = i + 1 < stamps.length ? stamps[i + 1] - stamps[i] : 0;
    const frame = frames.get(profile.samples[i])!;
    const name = frame.functionName || '(anonymous)';
    const where = location(frame.url);
    const key = `${name}\u0000${where}`;
    const entry = byFunction.get(key) ?? { name, where, category: categoryOf(name, where), ms: 0, share: 0 };
    entry.ms += us / 1e3;
    byFunction.set(key, entry);
    totalUs += us;
    samples++;
  }
  const totalMs = totalUs / 1e3;
  const all = [...byFunction.values()].map((e) => ({ ...e, share: e.ms / totalMs }));
  const categories = new Map<string, number>();
  for (const e of all) categories.set(e.category, (categories.get(e.category) ?? 0) + e.ms);
  return {
    totalMs,
    samples,
    windowed,
    top: all.sort((a, b) => b.ms - a.ms).slice(0, topN),
    categories: [...categories.entries()]
      .map(([category, ms]) => ({ category, ms, share: ms / totalMs }))
      .sort((a, b) => b.ms - a.ms),
  };
}
