import { partitions } from './subjects.js'

/** The partitions worker `worker` of `workers` (1-based) follows: every partition has exactly one worker. */
export function workerPartitions(worker: number, workers: number): number[] {
  if (!Number.isInteger(workers) || workers < 1 || workers > partitions)
    throw new Error(`the number of workers is 1 to ${partitions}`)
  if (!Number.isInteger(worker) || worker < 1 || worker > workers)
    throw new Error(`a worker is numbered 1 to ${workers}`)
  return Array.from({ length: partitions }, (_, p) => p).filter((p) => p % workers === worker - 1)
}

/** Parses `--worker I/N`. */
export function parseWorker(value: string): { worker: number; workers: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value)
  if (!match) throw new Error(`"${value}" is not I/N, e.g. 1/2 for the first of two workers`)
  const worker = Number(match[1])
  const workers = Number(match[2])
  workerPartitions(worker, workers)
  return { worker, workers }
}
