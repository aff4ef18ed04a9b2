// The form: category and rating buttons, the note with its counter, the hint beside Spara
// (what is missing is said where the eye is) and the edit mode ("Du ändrar …", Avbryt).

import { $, config, format, text } from "./page.js";

function press(selector, attribute, value) {
  for (const button of document.querySelectorAll(selector)) {
    button.setAttribute("aria-pressed", String(button.dataset[attribute] === value));
  }
}

export class CaptureForm {
  constructor() {
    this.category = null;
    this.rating = null;
    this.editing = null; // the stored observation being changed
    this.element = $("#capture-form");
    this.note = $("#note");
    this.counter = $("#note-count");
    this.hint = $("#form-error");
    this.save = $("#save");
    this.editBanner = $("#edit-banner");
    for (const button of document.querySelectorAll(".category")) {
      button.addEventListener("click", () => this.choose("category", button.dataset.category));
    }
    for (const button of document.querySelectorAll(".rating")) {
      button.addEventListener("click", () => this.choose("rating", button.dataset.rating));
    }
    this.note.addEventListener("input", () => this.count());
    $("#cancel-edit").addEventListener("click", () => this.onCancel?.());
    this.refresh();
  }

  choose(field, value) {
    this[field] = value;
    press(`.${field}`, field, value);
    if (field === "category") {
      const note = $("#incident-note");
      note.hidden = value !== "incident";
      if (!note.hidden) this.onIncident?.(note); // the reminder to call 112: always wholly in view
    }
    this.say("");
    this.refresh();
  }

  noteValue() {
    return this.note.value.trim();
  }

  // Near the limit a counter shows; beyond it the text stays and Spara says why it waits.
  count() {
    const length = this.note.value.length;
    const near = length > config.rules.note_max * 0.9;
    this.counter.hidden = !near;
    this.counter.textContent = format(text.note_count, { n: length, max: config.rules.note_max });
    this.counter.classList.toggle("over", length > config.rules.note_max);
    this.refresh();
  }

  // The first thing still missing, or "" when the form can be saved.
  missing() {
    if (!this.category) return text.choose_category;
    if (!this.rating) return text.choose_rating;
    if (this.note.value.length > config.rules.note_max) return format(text.note_too_long, { n: this.note.value.length, max: config.rules.note_max });
    return "";
  }

  refresh() {
    this.save.dataset.complete = String(!this.missing()); // looks inactive, still says why when tapped
  }

  say(message) {
    this.hint.textContent = message;
  }

  startEdit(local) {
    this.reset();
    this.editing = local;
    this.choose("category", local.category);
    this.choose("rating", local.rating);
    this.note.value = local.note || "";
    this.count();
    this.editBanner.hidden = false;
    $("#edit-what").textContent = format(text.editing, { what: `${config.categories[local.category]} · ${config.ratings[local.rating]}` });
  }

  // Only what the walker changed (an edit never clears what it did not touch).
  changes() {
    const local = this.editing;
    const changes = {};
    if (this.category !== local.category) changes.category = this.category;
    if (this.rating !== local.rating) changes.rating = this.rating;
    if (this.noteValue() !== (local.note || "")) changes.note = this.noteValue();
    return changes;
  }

  reset() {
    this.category = null;
    this.rating = null;
    this.editing = null;
    press(".category", "category", null);
    press(".rating", "rating", null);
    $("#incident-note").hidden = true;
    this.note.value = "";
    this.count();
    this.editBanner.hidden = true;
    this.say("");
    this.refresh();
  }
}
