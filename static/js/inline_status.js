// The meeting's quick status change: sent in the background, the deadline and reason typed in
// the row, and the row moves to its section (open, fixed, good) as soon as the server agrees.

const FIELDS_FOR = { planned: ".when-planned", not_possible: ".when-not-possible" };

function showFieldsFor(form) {
  const status = form.elements.status.value;
  for (const [key, selector] of Object.entries(FIELDS_FOR)) {
    const box = form.querySelector(selector);
    if (box) box.hidden = status !== key;
  }
}

function recount() {
  for (const box of document.querySelectorAll("[data-section-box]")) {
    const rows = box.querySelectorAll("tbody tr").length;
    const count = box.querySelector(".section-count");
    if (count) count.textContent = rows;
    const empty = box.querySelector(".section-empty");
    if (empty) empty.hidden = rows > 0;
    const table = box.querySelector("table");
    if (table) table.hidden = rows === 0;
  }
}

function moveRow(form, answer) {
  const row = form.closest("tr");
  const current = row.closest("tbody").dataset.section;
  if (answer.deadline !== undefined) {
    const cell = row.querySelector("td.deadline");
    if (cell) cell.textContent = answer.deadline || "–";
  }
  if (answer.section === current) return;
  const target = document.querySelector(`tbody[data-section="${answer.section}"]`);
  const notice = document.querySelector(".status-moved");
  if (target) {
    target.appendChild(row);
    row.classList.remove("overdue");
  } else if (document.querySelector("[data-section-box]")) {
    row.remove();
  } else {
    return;
  }
  if (notice) notice.textContent = `${row.querySelector("a").textContent}: ${answer.label}`;
  recount();
  form.elements.status.focus();
}

async function send(form) {
  const result = form.querySelector(".status-result");
  result.textContent = "…";
  result.className = "status-result";
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const answer = await response.json();
    if (response.ok) {
      result.textContent = `✓ ${answer.label}`;
      result.className = "status-result ok";
      moveRow(form, answer);
    } else {
      const errors = answer.errors || {};
      result.textContent = Object.values(errors).join(" ") || answer.error;
      result.className = "status-result error";
      const field = form.elements[Object.keys(errors)[0]];
      if (field && field.focus) field.focus();
    }
  } catch {
    result.textContent = "✗";
    result.className = "status-result error";
  }
}

for (const form of document.querySelectorAll("form.inline-status")) {
  showFieldsFor(form);
  form.elements.status.addEventListener("change", () => showFieldsFor(form));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}
recount();
