/**
 * Where check-socketio-typebox-rate-limit keeps its counts. The in-memory store serves one process; to share the
 * limit between processes or machines, implement `CheckSocketioTypeboxRateLimitStore` over Redis or a database.
 */

/** One key's count in its current window. */
export interface CheckSocketioTypeboxRateLimitHit {
  /** Hits counted in the window so far, this one included. */
  count: number;
  /** When the window ends, in milliseconds since the epoch. */
  resetAt: number;
}

/** What check-socketio-typebox-rate-limit needs from a store: one atomic count per hit. */
export interface CheckSocketioTypeboxRateLimitStore {
  /**
   * Counts one hit for `key` and returns the window's count and end. A window starts at a key's first
   * hit and lasts `windowMs`; once `now` reaches its end, the next hit starts a new one.
   */
  increment(key: string, windowMs: number, now: number): CheckSocketioTypeboxRateLimitHit | Promise<CheckSocketioTypeboxRateLimitHit>;
}

/**
 * Counts in a Map, per process. It starts no timer: expired windows are dropped as it goes, in one sweep
 * at most once per window, so memory stays bounded by the keys seen in about two windows.
 */
export class MemoryStore implements CheckSocketioTypeboxRateLimitStore {
  readonly #windows = new Map<string, CheckSocketioTypeboxRateLimitHit>();
  #nextSweep = 0;

  increment(key: string, windowMs: number, now: number): CheckSocketioTypeboxRateLimitHit {
    if (now >= this.#nextSweep) {
      for (const [candidate, hit] of this.#windows) if (hit.resetAt <= now) this.#windows.delete(candidate);
      this.#nextSweep = now + windowMs;
    }
    let hit = this.#windows.get(key);
    if (hit === undefined || hit.resetAt <= now) {
      hit = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, hit);
    }
    hit.count += 1;
    return { count: hit.count, resetAt: hit.resetAt };
  }

  /** How many keys it holds; for tests and metrics. */
  get size(): number {
    return this.#windows.size;
  }
}
