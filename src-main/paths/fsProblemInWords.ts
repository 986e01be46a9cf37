/** What each file-system error means for the user, in words (no errno codes). */
const problems: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'it does not exist (a part of the path is a file, not a folder)',
  EISDIR: 'it is a folder, not a file',
  ENOTEMPTY: 'the folder is not empty',
  EEXIST: 'something with that name is already there',
  EACCES: 'you do not have permission (check its owner and permissions)',
  EPERM: 'the system does not allow it (check its owner and permissions)',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  ELOOP: 'the path goes round a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long for this system',
  EBUSY: 'another program is holding it; try again',
  EMFILE: 'too many files are open; try again',
  ENFILE: 'too many files are open; try again',
  EAGAIN: 'the system is busy; try again',
  EIO: 'the disk reported a read or write error',
  EXDEV: 'it is on another disk',
};

/**
 * The reason a file-system call failed, as words for a person: the known errno codes by what
 * they mean; otherwise the system's own text without its code prefix and the syscall suffix
 * (Node's "EACCES: permission denied, open '/x'"). Never a stack.
 */
export function fsProblemInWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : problems[code];
  if (known) return known;
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^[A-Z][A-Z0-9_]+: /, '').replace(/, \w+ '[^']*'( -> '[^']*')?$/, '').split('\n')[0] ?? '';
}
