import { WorkerLoop } from './worker-loop.js';

/** A loop whose steps ask for an hour's wait, and a way to await its n-th step. */
function hourlyLoop(step: () => Promise<void> = async () => undefined) {
  let steps = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const loop = new WorkerLoop(async () => {
    steps++;
    await step();
    for (const w of waiters.filter((w) => steps >= w.n)) w.resolve();
    return 3_600_000;
  });
  const stepped = (n: number) => new Promise<void>((resolve) => (steps >= n ? resolve() : waiters.push({ n, resolve })));
  return { loop, stepped, steps: () => steps };
}

test('wake() runs the next step of a waiting loop at once', async () => {
  const { loop, stepped, steps } = hourlyLoop();
  loop.start();
  await stepped(1);
  loop.wake();
  // Without wake() the second step would come after an hour (beyond the test's timeout).
  await stepped(2);
  expect(steps()).toBe(2);
  await loop.stop();
});

test('wake() during a step runs the next step right after it, never beside it', async () => {
  let release!: () => void;
  let running = 0;
  let overlapped = false;
  const { loop, stepped, steps } = hourlyLoop(async () => {
    running++;
    overlapped ||= running > 1;
    if (steps() === 1) await new Promise<void>((resolve) => (release = resolve));
    running--;
  });
  loop.start();
  while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
  // Work comes while the first step runs (it may have looked for work already).
  loop.wake();
  loop.wake();
  expect(steps()).toBe(1);
  release();
  await stepped(2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Two wakes during one step: one step after it, then the step's own wait.
  expect(steps()).toBe(2);
  expect(overlapped).toBe(false);
  await loop.stop();
});

test('a stopped loop stays stopped when woken', async () => {
  const { loop, stepped, steps } = hourlyLoop();
  loop.start();
  await stepped(1);
  await loop.stop();
  loop.wake();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(steps()).toBe(1);
});
