/**
 * Polls until `check` stops throwing, or rethrows its last error when the time is up. For what happens in the
 * background: the conversion completer, the projector.
 */
export async function eventually(check: () => Promise<void>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
