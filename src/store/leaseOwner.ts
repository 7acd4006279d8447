import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A lease owner names its process: `host:pid:uuid` (the uuid tells two runs of one process apart). */
export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

export function ownerProcess(owner: string): { host: string; pid: number | null } {
  const [host = '', pidText = ''] = owner.split(':');
  const pid = Number(pidText);
  return { host, pid: Number.isSafeInteger(pid) && pid > 0 ? pid : null };
}

/**
 * The holder ran on this machine and its process is gone: it crashed, and its lease can be taken over
 * at once instead of after the TTL. A holder on another machine is left to its lease's expiry.
 */
export function holderIsDead(owner: string): boolean {
  const { host, pid } = ownerProcess(owner);
  if (host !== hostname() || pid === null || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
