// The walker's own observations: the list under the form, the dots on the map and the
// header's count of what still waits to be sent.

import { allForWalk } from "../outbox.js";
import { $, config, counted, format, landingText, text, walkId } from "./page.js";

function span(className, content) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = content;
  return element;
}

function button(label, action) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  element.addEventListener("click", action);
  return element;
}

export class MineList {
  constructor(map, { onEdit, onRemove, onRemovePhoto }) {
    this.map = map;
    this.onEdit = onEdit;
    this.onRemove = onRemove;
    this.onRemovePhoto = onRemovePhoto;
    this.list = $("#mine-list");
    this.status = $("#sync-status");
    this.previews = [];
  }

  // The clocks' disagreement, as the last answer told it (../sync.js): a warning, not a failure.
  showClock({ clockSkew, clockHeld }) {
    const warning = $("#clock-warning");
    if (!warning) return;
    const minutes = Math.round(Math.abs(clockSkew) / 60);
    warning.textContent = clockHeld ? text.clock_held : minutes >= 2 ? format(text.clock_skew, { minutes }) : "";
    warning.hidden = !warning.textContent;
  }

  showWaiting(waitingIds, failed) {
    const status = this.status;
    if (waitingIds.size === 0 && failed.length === 0) status.textContent = text.all_sent;
    else if (failed.length) status.textContent = counted(text.failed, failed.length);
    else status.textContent = counted(text.waiting, waitingIds.size);
    status.dataset.waiting = String(waitingIds.size);
    status.classList.toggle("pending", waitingIds.size > 0 || failed.length > 0);
  }

  // The observation's photos: those sent (the server's thumbnail) and those still on the phone,
  // each with its own Ta bort (./store.js removePhoto) while the walk is open.
  photos(item, onPhone) {
    const shown = [
      ...(item.photos || []).map((id) => ({ id, src: `/observations/${item.id}/photos/${id}/thumb.jpg` })),
      ...onPhone.map((entry) => ({ id: entry.photo_id, src: this.preview(entry.blob) })),
    ];
    if (!shown.length || config.walk.state === "closed") return null;
    const list = document.createElement("ul");
    list.className = "mine-photos";
    shown.forEach((photo, index) => {
      const image = Object.assign(document.createElement("img"), { src: photo.src, alt: format(text.photo_n, { n: index + 1 }) });
      const entry = document.createElement("li");
      entry.dataset.photo = photo.id;
      entry.append(image, button(text.remove_photo, () => this.onRemovePhoto(item.id, photo.id)));
      list.append(entry);
    });
    return list;
  }

  preview(blob) {
    const url = URL.createObjectURL(blob);
    this.previews.push(url);
    return url;
  }

  row(item, waiting, problem, onPhone = []) {
    const row = document.createElement("li");
    row.className = `mine-item rating-${item.rating}`;
    row.dataset.id = item.id;
    const title = document.createElement("strong");
    title.textContent = item.label;
    const marks = [];
    if (waiting) marks.push(text.waiting_mark);
    if (item.landing?.late) marks.push(text.late);
    if (item.position_source === "pin") marks.push(text.pin_mark);
    if (item.has_photo) marks.push(text.photo);
    const where = (item.sent ? landingText(item.landing) : text.queued) + (marks.length ? ` · ${marks.join(", ")}` : "");
    row.append(title, span("where", where));
    if (item.note) row.append(Object.assign(span("note", item.note), { dir: "auto" }));
    const photos = this.photos(item, onPhone);
    if (photos) row.append(photos);
    if (problem) row.append(span("error", problem));
    if (config.walk.state !== "closed") {
      const actions = span("actions", "");
      actions.append(button(text.edit, () => this.onEdit(item.id)), button(text.delete, () => this.onRemove(item.id)));
      row.append(actions);
    }
    return row;
  }

  async refresh() {
    const [mine, outbox] = await Promise.all([allForWalk("observations", walkId), allForWalk("outbox", walkId)]);
    const waitingIds = new Set(outbox.filter((item) => !item.failed).map((item) => item.observation_id));
    const failed = outbox.filter((item) => item.failed);
    const problems = new Map(failed.map((item) => [item.observation_id, item.failed]));
    this.showWaiting(waitingIds, failed);
    mine.sort((a, b) => (a.recorded_at < b.recorded_at ? 1 : -1));
    for (const item of mine) {
      item.label = `${config.categories[item.category] || item.category} · ${config.ratings[item.rating] || item.rating}`;
    }
    this.previews.forEach((url) => URL.revokeObjectURL(url));
    this.previews = [];
    const onPhone = (id) => outbox.filter((item) => item.type === "photo" && item.observation_id === id);
    const rows = mine.map((item) => this.row(item, waitingIds.has(item.id), problems.get(item.id), onPhone(item.id)));
    if (!rows.length) rows.push(Object.assign(document.createElement("li"), { className: "empty", textContent: text.no_observations }));
    this.list.replaceChildren(...rows);
    this.map.showMine(mine);
  }
}
