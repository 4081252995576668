/**
 * Where check-socketio-typebox-rate-limit keeps its counts. The in-memory store serves one process; to share the
 * limit between processes or machines, implement `CheckSocketioTypeboxRateLimitStore` over Redis or a database, or plug in
 * a store written for express-rate-limit (rate-limit-redis and its peers): their shape is accepted too.
 */

/** One key's count in its current window. */
export interface CheckSocketioTypeboxRateLimitHit {
  /** Hits counted in the window so far, this one included. */
  count: number;
  /** When the window ends, in milliseconds since the epoch. */
  resetAt: number;
}

/** What a store written for express-rate-limit answers (its `ClientRateLimitInfo`). */
export interface CheckSocketioTypeboxRateLimitStoreHit {
  totalHits: number;
  resetTime?: Date;
}

/** What a store's `increment` gives back, at once or as a promise: the hit in either form. */
type Counted = CheckSocketioTypeboxRateLimitHit | CheckSocketioTypeboxRateLimitStoreHit;

/** What check-socketio-typebox-rate-limit needs from a store: one atomic count per hit. */
export interface CheckSocketioTypeboxRateLimitStore {
  /**
   * Counts one hit for `key` and returns the window's count and end. A window starts at a key's first
   * hit and lasts `windowMs`; once `now` reaches its end, the next hit starts a new one. An
   * express-rate-limit store's `increment(key)` fits as is.
   */
  increment(key: string, windowMs: number, now: number): Counted | Promise<Counted>;
  /** Forgets `key`'s count, for `resetKey`. */
  resetKey?(key: string): unknown;
  /** Called once, with the window, when the middleware is created (as express-rate-limit does). */
  init?(options: { windowMs: number; limit: number }): unknown;
}

/**
 * Counts in two Maps, per process, and starts no timer. Keys land in the current generation; every
 * `windowMs` the current one becomes the previous one and the previous one is dropped whole, so no call
 * ever walks the keys (a sweep over a million keys blocks the event loop for seconds). A key still inside
 * its window when its generation turns old is moved forward on its next hit. Memory stays bounded by the
 * keys seen in about two windows.
 */
export class MemoryStore implements CheckSocketioTypeboxRateLimitStore {
  #current = new Map<string, CheckSocketioTypeboxRateLimitHit>();
  #previous = new Map<string, CheckSocketioTypeboxRateLimitHit>();
  #rotateAt = Number.NEGATIVE_INFINITY;

  increment(key: string, windowMs: number, now: number): CheckSocketioTypeboxRateLimitHit {
    if (now >= this.#rotateAt) {
      // Two windows without a hit: nothing in either generation can still be live.
      this.#previous = now >= this.#rotateAt + windowMs ? new Map() : this.#current;
      this.#current = new Map();
      this.#rotateAt = now + windowMs;
    }
    let hit = this.#current.get(key);
    if (hit === undefined) {
      hit = this.#previous.get(key);
      if (hit !== undefined) this.#current.set(key, hit);
    }
    if (hit === undefined || hit.resetAt <= now) {
      hit = { count: 0, resetAt: now + windowMs };
      this.#current.set(key, hit);
    }
    hit.count += 1;
    return { count: hit.count, resetAt: hit.resetAt };
  }

  resetKey(key: string): void {
    this.#current.delete(key);
    this.#previous.delete(key);
  }

  /** How many keys it holds (both generations, a moved key once per generation); for tests and metrics. */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
