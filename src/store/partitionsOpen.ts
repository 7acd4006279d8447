/**
 * A partitioned pass asked to complete while some of its partitions had not committed their last page:
 * nothing was swept (a sweep then would remove the endpoints those partitions have yet to read).
 */
export class PartitionsOpenError extends Error {
  override readonly name = 'PartitionsOpenError';
  readonly code = 'SYNC_PARTITIONS_OPEN';
  constructor(
    readonly stream: string,
    readonly open: number,
  ) {
    super(`the ${stream} pass was not completed: ${open} of its partitions have not read their last page`);
  }
}
