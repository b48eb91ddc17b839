/**
 * Retry delays: exponential backoff with "full jitter" — a uniformly random delay in
 * [0, min(cap, base·2^attempt)). From Marc Brooker, "Exponential Backoff And Jitter", AWS
 * Architecture Blog (2015): of the schemes compared it finishes the work with the fewest calls
 * when many clients retry at once, because the random spread keeps them from retrying in step.
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
