"use client";

/**
 * Puts text on the clipboard. With `clearAfterMs`, the clipboard is emptied that long afterwards
 * if it still holds exactly this text (something the operator copied since is left alone). The
 * timer is not tied to the component that copied: closing a dialog must not keep a secret on
 * the clipboard. Chromium reads the clipboard only while the page has focus, so when the page
 * is in the background at that moment, the check runs when it is focused again.
 */
export async function copyToClipboard(value: string, options: { clearAfterMs?: number } = {}): Promise<void> {
  await navigator.clipboard.writeText(value);
  const { clearAfterMs } = options;
  if (clearAfterMs !== undefined) window.setTimeout(() => void clearIfUnchanged(value), clearAfterMs);
}

async function clearIfUnchanged(value: string): Promise<void> {
  if (!document.hasFocus()) {
    window.addEventListener("focus", () => void clearIfUnchanged(value), { once: true });
    return;
  }
  try {
    if ((await navigator.clipboard.readText()) === value) await navigator.clipboard.writeText("");
  } catch {
    // No read permission: we cannot tell whether it is still ours, so we leave it alone.
  }
}
