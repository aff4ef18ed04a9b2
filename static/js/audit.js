// The safety audit on the phone: Safetipin's nine parameters, each scored 0–3 with one tap on a
// button that says what the level means, saved at the walker's position (GPS or a pin, never
// invented) through the offline outbox (POST /api/walks/<id>/audits, idempotent by id).

import { allForWalk, write } from "./outbox.js";

export class AuditSheet {
  constructor({ walkId, url, parameters, text, position, sync, newId, root, opener }) {
    Object.assign(this, { walkId, url, parameters, text, position, sync, newId, root });
    this.scores = {};
    this.form = root.querySelector("form");
    this.message = root.querySelector(".audit-message");
    this.build(root.querySelector(".audit-parameters"));
    opener.addEventListener("click", () => this.open(opener));
    root.querySelector("[data-action=cancel]").addEventListener("click", () => this.close());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.opener = opener;
  }

  build(container) {
    for (const { key, label, levels } of this.parameters) {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = label;
      const row = document.createElement("div");
      row.className = "audit-levels";
      levels.forEach((level, score) => {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.parameter = key;
        button.dataset.score = String(score);
        button.setAttribute("aria-pressed", "false");
        const number = document.createElement("b");
        number.textContent = String(score);
        button.append(number, level);
        button.addEventListener("click", () => this.choose(key, score, row));
        row.append(button);
      });
      set.append(legend, row);
      container.append(set);
    }
  }

  choose(key, score, row) {
    // A second tap on the chosen level takes the score back (a parameter may stay unscored).
    if (this.scores[key] === score) delete this.scores[key];
    else this.scores[key] = score;
    row.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.score) === this.scores[key])));
    this.message.textContent = this.text.audit_count.replace("%(n)s", Object.keys(this.scores).length);
  }

  open(opener) {
    this.root.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    this.root.querySelector("button").focus();
  }

  close() {
    this.root.hidden = true;
    this.opener.setAttribute("aria-expanded", "false");
  }

  async save() {
    if (!Object.keys(this.scores).length) {
      this.message.textContent = this.text.audit_empty;
      return;
    }
    const where = this.position.current();
    if (!where) {
      this.message.textContent = this.text.audit_no_position;
      return;
    }
    const id = this.newId();
    const key = `audit:${id}`;
    const note = this.form.elements.audit_note.value.trim();
    const body = { id, lon: where.lon, lat: where.lat, recorded_at: new Date().toISOString(), scores: { ...this.scores }, ...(note ? { note } : {}) };
    await write({ put: [["outbox", { key, type: "audit", walk_id: this.walkId, observation_id: key, queued_at: Date.now(), rev: this.newId(), url: this.url, body }]] });
    this.scores = {};
    this.form.reset();
    this.root.querySelectorAll("[aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false"));
    this.close();
    this.opener.parentElement.querySelector(".audit-saved").textContent = this.text.audit_saved;
    this.opener.dataset.waiting = "queued";
    // A run already under way may have read the outbox before this item: go once more after it.
    await this.sync.flush();
    await this.sync.flush();
    const waiting = (await allForWalk("outbox", this.walkId)).filter((entry) => entry.type === "audit");
    this.opener.dataset.waiting = String(waiting.length); // audits still on the phone
  }
}
