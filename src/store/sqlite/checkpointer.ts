import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CHECKPOINT_THREAD,
  type CheckpointAsk,
  type CheckpointDone,
  type CheckpointThreadData,
} from './checkpointerThread.js';

/**
 * Copies the write-ahead log into the database file on a thread of its own (checkpointerThread.ts),
 * so that a sync's checkpoints no longer run on the thread that maps and commits its pages
 * (docs/store.md, "Where checkpoints run"). The thread starts at the first ask: most stores (every
 * CLI command, most tests) never ask and never pay for one. Asks made while a checkpoint runs become
 * one more checkpoint after it, however many they are. The thread is unref'd: it never keeps the
 * process alive; `close` ends it and waits for its end.
 */
export class Checkpointer {
  readonly #data: CheckpointThreadData;
  #worker: Worker | undefined;
  #running = false;
  #again = false;
  #closed = false;

  constructor(file: string) {
    this.#data = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: resolve(file) };
  }

  /** Asks for a PASSIVE checkpoint and returns at once. */
  ask(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      this.#thread().postMessage({ kind: 'checkpoint' } satisfies CheckpointAsk);
    } catch {
      // No thread could be started (the process is out of threads or memory): the automatic checkpoint
      // copies the log from then on, as after a thread's failure; the sync goes on.
      this.#closed = true;
      this.#running = false;
      this.#worker = undefined;
    }
  }

  /** Ends the thread (after the checkpoint it runs, if any); resolves once it has exited. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!worker) return;
    // Referenced again while it closes: a process with nothing else to do still waits for its end.
    worker.ref();
    // Not `events.once`: it rejects on an 'error' event, and a thread's error must not reach the caller.
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ kind: 'close' } satisfies CheckpointAsk);
    await exited;
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: this.#data });
    worker.unref();
    worker.on('message', (_: CheckpointDone) => this.#done());
    // A thread that failed (its code threw, the driver did not load) drops its ask and is not started
    // again: the automatic checkpoint copies the log from then on. Nothing reaches the caller.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      this.#closed = true;
      this.#worker = undefined;
      this.#running = false;
    });
    this.#worker = worker;
    return worker;
  }

  #done(): void {
    this.#running = false;
    if (!this.#again || this.#closed) return;
    this.#again = false;
    this.ask();
  }
}
