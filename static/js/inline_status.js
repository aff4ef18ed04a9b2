// The meeting's quick status change: sent in the background, the partner, deadline and reason
// typed in the row (each shown for the statuses that carry it: the table's data-fields, from
// vocabulary.STATUS_FIELDS), and the row moves to its section (open, fixed, closed, good) as
// soon as the server agrees, with an "Ångra" that sends it back through the same door.

function rules(form) {
  const table = form.closest("table");
  return {
    fields: JSON.parse(table.dataset.fields || "{}"),
    requires: JSON.parse(table.dataset.requires || "{}"),
  };
}

function showFieldsFor(form) {
  const { fields, requires } = rules(form);
  const status = form.elements.status.value;
  for (const box of form.querySelectorAll(".quick-field")) {
    const name = box.dataset.field;
    // A hidden field is not sent: the server would drop it anyway (measures.triage_changes).
    const shown = (fields[status] || []).includes(name);
    box.hidden = !shown;
    const field = box.querySelector("input, select");
    field.disabled = !shown;
    box.classList.toggle("required", (requires[status] || []).includes(name));
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

function undoButton(form, row) {
  let undo = row.querySelector("form.undo-status");
  if (undo) return undo;
  undo = document.createElement("form");
  undo.method = "post";
  undo.action = form.dataset.undo;
  undo.className = "undo-status";
  for (const name of ["csrf_token", "next"]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = form.elements[name].value;
    undo.appendChild(input);
  }
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = form.dataset.undoLabel;
  undo.appendChild(button);
  form.after(undo);
  wireUndo(undo);
  return undo;
}

function showAnswer(form, answer) {
  const row = form.closest("tr");
  const deadline = row.querySelector("td.deadline");
  if (deadline) deadline.textContent = answer.deadline || "–";
  const partner = row.querySelector("td.partner");
  if (partner) partner.textContent = answer.partner || "–";
  form.elements.status.value = answer.status;
  // The next change from this row is made on what is stored now (the stale-form guard).
  if (form.elements.seen) form.elements.seen.value = answer.seen;
  if (form.elements.deadline) form.elements.deadline.value = answer.deadline || "";
  if (form.elements.reason) form.elements.reason.value = answer.reason || "";
  showFieldsFor(form);
  const current = row.closest("tbody").dataset.section;
  if (answer.section === current) return false;
  const target = document.querySelector(`tbody[data-section="${answer.section}"]`);
  if (target) {
    target.appendChild(row);
    row.classList.remove("overdue");
  } else if (document.querySelector("[data-section-box]")) {
    row.remove();
  } else {
    return false;
  }
  const notice = document.querySelector(".status-moved");
  if (notice) notice.textContent = `${row.querySelector("a").textContent}: ${answer.label}`;
  recount();
  return true;
}

async function post(form, result) {
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
      return answer;
    }
    const errors = answer.errors || {};
    result.textContent = Object.values(errors).join(" ") || answer.error;
    result.className = "status-result error";
    const field = form.elements[Object.keys(errors)[0]];
    if (field && field.focus) field.focus();
  } catch {
    result.textContent = "✗";
    result.className = "status-result error";
  }
  return null;
}

async function send(form) {
  const answer = await post(form, form.querySelector(".status-result"));
  if (!answer) return;
  const row = form.closest("tr");
  const moved = showAnswer(form, answer);
  if (moved && answer.section !== "open") undoButton(form, row).querySelector("button").focus();
  else if (moved) form.elements.status.focus();
}

function wireUndo(undo) {
  undo.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = undo.closest("td").querySelector("form.inline-status");
    const answer = await post(undo, form.querySelector(".status-result"));
    if (!answer) return;
    undo.remove();
    showAnswer(form, answer);
    form.elements.status.focus();
  });
}

for (const form of document.querySelectorAll("form.inline-status")) {
  showFieldsFor(form);
  form.elements.status.addEventListener("change", () => showFieldsFor(form));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form);
  });
}
for (const undo of document.querySelectorAll("form.undo-status")) wireUndo(undo);
recount();
