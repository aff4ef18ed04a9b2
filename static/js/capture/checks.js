// A re-walk: the measures of earlier walks at its places (the page's config, then the server's
// copy), as a list and as markers on the map, each checked with one tap: "Åtgärdat" or "Finns
// kvar". A tap goes into the phone's outbox first (key check:<finding>, so a second tap before it
// is sent replaces the first) and ../sync.js sends it (POST, idempotent by the tap's id); what the
// server did with it comes back with the next copy of the list.

import { allForWalk, write } from "../outbox.js";
import { $, config, format, newId, text, walkId } from "./page.js";

const ANSWERS = { fixed: "check_fixed", still_there: "check_still_there" };

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

export class CheckList {
  constructor(map, sync) {
    this.map = map;
    this.sync = sync;
    this.list = $("#checks-list");
    this.items = config.checks?.items || [];
    this.tapped = new Map(); // answers given on this screen, before the server's copy has them
    this.sending = false; // taps waiting in the outbox at the last look
  }

  // The server's copy, when there is a network (the service worker keeps it for an offline start).
  async load() {
    if (!this.list) return;
    try {
      const response = await fetch(config.api.checks, { headers: { Authorization: `Bearer ${config.token}` } });
      if (response.ok) {
        this.items = (await response.json()).items;
        for (const item of this.items) if (item.answer === this.tapped.get(item.id)) this.tapped.delete(item.id);
      }
    } catch (error) {
      // offline: the list the page came with
    }
  }

  async tap(item, answer) {
    const key = `check:${item.id}`;
    const body = { id: newId(), observation_id: item.id, answer, recorded_at: new Date().toISOString() };
    const entry = { key, type: "check", walk_id: walkId, observation_id: key, queued_at: Date.now(), rev: newId(), url: config.api.checks, body };
    await write({ put: [["outbox", entry]] });
    this.tapped.set(item.id, answer);
    await this.refresh();
    if (!navigator.onLine) return;
    // A run already under way may have read the outbox before this tap: go once more after it.
    await this.sync.flush();
    await this.sync.flush();
    await this.refresh();
  }

  async refresh() {
    if (!this.list) return;
    const outbox = await allForWalk("outbox", walkId);
    const waiting = new Map(outbox.filter((entry) => entry.type === "check").map((entry) => [entry.body.observation_id, entry]));
    // Taps sent since the last look (after an offline stretch and a reload too): the server's copy
    // now says what became of them.
    const sending = [...waiting.values()].some((entry) => !entry.failed);
    const sent = this.sending && !sending && navigator.onLine;
    this.sending = sending;
    if (sent) await this.load();
    this.list.replaceChildren(...this.items.map((item) => this.row(item, waiting.get(item.id))));
    this.map.showChecks(this.items.map((item) => ({ ...item, answer: this.answer(item, waiting.get(item.id)) })), (item) => this.reveal(item));
  }

  answer(item, entry) {
    return entry?.body.answer || this.tapped.get(item.id) || item.answer || "";
  }

  row(item, entry) {
    const answer = this.answer(item, entry);
    const row = element("li", "check-item");
    row.dataset.id = item.id;
    row.dataset.answer = answer;
    row.tabIndex = -1;
    const where = element("span", "where", [item.place, format(text.check_found, { day: item.recorded_on, status: item.status })].filter(Boolean).join(" · "));
    row.append(element("strong", "", item.category), where);
    let state = "";
    if (entry?.failed) state = format(text.refused, { reason: entry.failed });
    else if (answer) state = `${format(text.check_answered, { answer: text[ANSWERS[answer]] })}${entry ? ` · ${text.waiting_mark}` : " ✓"}`;
    const status = element("span", entry?.failed ? "check-state error" : "check-state", state);
    status.setAttribute("role", "status");
    row.append(status);
    if (config.walk.state !== "closed") {
      const actions = element("span", "check-actions");
      for (const [key, label] of Object.entries(ANSWERS)) {
        const button = element("button", `check-${key}`, text[label]);
        button.type = "button";
        button.dataset.answer = key;
        button.setAttribute("aria-pressed", String(answer === key));
        button.addEventListener("click", () => this.tap(item, key));
        actions.append(button);
      }
      row.append(actions);
    }
    const show = element("button", "link check-show", text.check_show);
    show.type = "button";
    show.addEventListener("click", () => {
      this.map.scrollIntoView();
      this.map.panTo(item.lat, item.lon);
    });
    row.append(show);
    return row;
  }

  // A marker tapped on the map: its row, in view.
  reveal(item) {
    const row = this.list.querySelector(`[data-id="${CSS.escape(item.id)}"]`);
    row?.scrollIntoView({ block: "center" });
    row?.focus({ preventScroll: true });
  }
}
