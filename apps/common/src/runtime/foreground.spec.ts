import { Foreground } from './foreground.js';

test('a turn comes at once when nothing is in flight', async () => {
  const foreground = new Foreground();
  let turned = false;
  await foreground.turn(3_600_000).then(() => (turned = true));
  expect(turned).toBe(true);
});

test('a turn waits for the requests in flight, and comes when the last one ends', async () => {
  const foreground = new Foreground();
  const ends: Array<() => void> = [];
  const request = () => foreground.track(() => new Promise<void>((resolve) => ends.push(resolve)));
  const first = request();
  const second = request();
  let turned = false;
  const turn = foreground.turn(3_600_000).then(() => (turned = true));
  ends[0]();
  await first;
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(turned).toBe(false); // one is still in flight
  ends[1]();
  await second;
  await turn;
  expect(turned).toBe(true);
});

test('under steady load a turn still comes after maxWaitMs, and a failed request counts as ended', async () => {
  const foreground = new Foreground();
  const endless = foreground.track(() => new Promise<void>(() => undefined));
  const started = Date.now();
  await foreground.turn(30);
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  void endless;

  const other = new Foreground();
  await expect(other.track(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  let turned = false;
  await Promise.race([other.turn(3_600_000).then(() => (turned = true)), new Promise((resolve) => setTimeout(resolve, 50))]);
  expect(turned).toBe(true);
});
