/** Whether `promise` has settled (resolved or rejected) within `ms`: for tests of what must still be waiting. */
export async function settledWithin(promise: Promise<unknown>, ms = 50): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return done;
}
