// The poster's print button (no inline handlers: the pages' CSP allows only the app's own scripts).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
