// Status changes in the meeting view are sent in the background: the page stays where it is.

async function send(form) {
  const result = form.querySelector(".status-result");
  result.textContent = "…";
  try {
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    const body = await response.json();
    if (response.ok) {
      result.textContent = `✓ ${body.label}`;
      result.className = "status-result ok";
    } else {
      result.textContent = Object.values(body.errors || {}).join(" ") || body.error;
      result.className = "status-result error";
    }
  } catch (error) {
    result.textContent = "✗";
    result.className = "status-result error";
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.classList?.contains("inline-status")) return;
  event.preventDefault();
  send(form);
});
