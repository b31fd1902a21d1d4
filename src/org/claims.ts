/**
 * What the App's replicas share so that work done once is not done by each: one process alone claims everything,
 * and several processes share claims through Redis (`src/queue/claims.ts`).
 */
export interface Claims {
  /** True when this process now holds `name` for `ms` milliseconds; false when another holds it. */
  claim(name: string, ms: number): Promise<boolean>;
  /** Gives `name` up before its time, when the work is done. */
  release(name: string): Promise<void>;
}

/** A single process: its own serial order already keeps one organisation's work apart. */
export const ALONE: Claims = {
  claim: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

/**
 * Runs `work` while holding `name`, waiting (up to `waitMs`, polling) for another replica to give it up; after
 * that the work runs anyway, since doing it twice is better than not at all.
 */
export async function whileHolding<T>(
  claims: Claims,
  name: string,
  options: { holdMs: number; waitMs: number; pollMs?: number; sleep?: (ms: number) => Promise<void> },
  work: () => Promise<T>,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const poll = options.pollMs ?? 250;
  let held = false;
  for (let waited = 0; ; waited += poll) {
    held = await claims.claim(name, options.holdMs).catch(() => false);
    if (held || waited >= options.waitMs) break;
    await sleep(poll);
  }
  try {
    return await work();
  } finally {
    if (held) await claims.release(name).catch(() => undefined);
  }
}
