import { PLATFORM_STATUSES, type PlatformStatusEntry, type TransmissionStatus } from '../platform/platform-port.ts';
import type { HistoryEntry } from './transmission-view.ts';

/**
 * The statuses known so far and those just reported, merged: each (code, instant) once, oldest
 * first (code order breaks a tie); the current status is the last one. Pure.
 */
export function mergeHistory(known: readonly HistoryEntry[], reported: readonly PlatformStatusEntry[]) {
  const byKey = new Map<string, HistoryEntry>();
  for (const entry of [...known, ...reported]) {
    const key = `${entry.code}@${entry.at}`;
    if (!byKey.has(key)) byKey.set(key, { code: entry.code, at: entry.at, reason: entry.reason, label: PLATFORM_STATUSES[entry.code].label });
  }
  const history = [...byKey.values()].sort((a, b) => a.at.localeCompare(b.at) || a.code.localeCompare(b.code));
  const last = history.at(-1);
  return {
    history,
    current: last ? { status: PLATFORM_STATUSES[last.code].status as TransmissionStatus, code: last.code, at: new Date(last.at) } : null,
  };
}
