// The light/dark switch in the header (the theme itself is applied by ../theme.js).

import { currentTheme, setTheme } from "../theme.js";
import { $, text } from "./page.js";

export function initThemeSwitch() {
  const button = $("#theme-toggle");
  const show = () => {
    const dark = currentTheme() === "dark";
    button.setAttribute("aria-pressed", String(dark));
    button.textContent = dark ? text.theme_light : text.theme_dark;
  };
  button.addEventListener("click", () => {
    setTheme(currentTheme() === "dark" ? "light" : "dark");
    show();
  });
  show();
}
