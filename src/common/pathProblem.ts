import { Problem } from './problem.js';

/** What each file-system error means to a user, in words (never Node's own text). */
const REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted there',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path loops through symbolic links',
  EBUSY: 'it is busy',
  /** Ours (home.ts): mkdir answered ENOENT although the parent folder exists. */
  ENOCREATE: 'no folder can be created there',
};

export interface PathUse {
  /** Stable problem code, e.g. `home_unusable`; the CLI names the option to change for it. */
  code: string;
  /** What the path is for, e.g. "the home folder". */
  what: string;
  path: string;
}

/** Whether an error is a file-system error this module can explain. */
export function isPathError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in REASONS;
}

/**
 * A file-system error as one problem naming the path, what it was for and why it cannot be used, or
 * the error itself when it is not one of the known kinds (a bug, reported as such).
 */
export function pathProblem(error: unknown, use: PathUse): unknown {
  if (!isPathError(error)) return error;
  const reason = REASONS[error.code as string] as string;
  return new Problem({
    code: use.code,
    kind: 'invalid',
    message: `Cannot use ${use.path} as ${use.what}: ${reason}.`,
    fix: 'Choose another path.',
    details: { path: use.path, reason },
    cause: error,
  });
}
