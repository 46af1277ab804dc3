/**
 * Turns of the event loop inside long synchronous computations. The MLP trains epoch after epoch without giving
 * the event loop a turn (each epoch is synchronous; only microtasks run between them), so the worker's heartbeat
 * timer, and the IPC 'disconnect' that tells it its language server is gone, would wait until training ends.
 */

let lastTurn = Date.now();

/**
 * Lets the event loop run one turn (timers, I/O) when the last turn was `everyMs` or more ago; else returns
 * undefined at once, so that short epochs pay nothing.
 */
export function turnEventLoopNowAndThen(everyMs = 50): Promise<void> | undefined {
  const now = Date.now();
  if (now - lastTurn < everyMs) return undefined;
  lastTurn = now;
  return new Promise((resolve) => setImmediate(resolve));
}
