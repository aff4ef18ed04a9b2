// "Skärmen tänd": keeps the screen on during the walk where the browser allows it (Screen
// Wake Lock); the switch is hidden where it does not. The browser drops the lock when the
// page is hidden, so it is taken again when the walker comes back.

import { $ } from "./page.js";

export function initWakeLock() {
  const button = $("#wake-lock");
  if (!("wakeLock" in navigator)) {
    button.hidden = true;
    return;
  }
  let lock = null;
  let wanted = false;
  const take = async () => {
    try {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => {
        lock = null;
        button.setAttribute("aria-pressed", String(wanted && document.visibilityState === "visible"));
      });
    } catch (error) {
      wanted = false; // low battery or not allowed: the switch shows it is off
    }
    button.setAttribute("aria-pressed", String(Boolean(lock)));
  };
  button.addEventListener("click", async () => {
    wanted = !lock;
    if (wanted) await take();
    else {
      await lock.release();
      button.setAttribute("aria-pressed", "false");
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (wanted && !lock && document.visibilityState === "visible") take();
  });
}
