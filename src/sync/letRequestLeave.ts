/**
 * Lets a next-page request that was just started leave the process before a synchronous page write
 * holds the thread, so that the Gateway builds the next page while this one is stored. Two turns: one
 * for the request's own promise chain, one for the socket write it schedules.
 */
export async function letRequestLeave(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
