// Spara: says beside the button what is missing, takes the position (never invented: without
// a fix or a pin it asks for a tap on the map), queues on the phone, sends when it can and
// confirms where the observation landed. Then the screen is ready for the next one.

import { allForWalk, get } from "../outbox.js";
import { $, config, format, landingText, language, newId, text, walkId } from "./page.js";
import { hasPending, queueEdit, queueNew, removeObservation } from "./store.js";

const SETTLE_MS = 5000; // how long Spara waits for a good fix when the current one is poor
const CONFIRM_MS = 6000;

export class Saver {
  constructor(parts) {
    Object.assign(this, parts); // form, photo, position, locator, map, list, sync
    this.busy = false;
    this.result = $("#result");
    this.form.element.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!this.busy) this.submit().finally(() => (this.busy = false));
      this.busy = true;
    });
    this.form.onCancel = () => this.finish();
  }

  // What Spara says beside the button; the last confirmation goes, so the two never contradict.
  say(message) {
    if (message) this.confirm("", false);
    this.form.say(message);
  }

  async submit() {
    const missing = this.form.missing();
    if (missing) return this.say(missing);
    if (this.form.editing) return this.saveEdit();
    const best = this.position.best();
    if (!this.position.pin && this.locator.running && (!best || best.accuracy > this.position.good)) {
      this.say(best ? format(text.gps_better, { m: Math.round(best.accuracy) }) : text.gps_wait_save);
    }
    const where = await this.position.settle(SETTLE_MS, this.locator.running);
    if (!where) {
      this.say(text.tap_map);
      this.map.scrollIntoView();
      return;
    }
    this.form.say("");
    this.confirm(text.saving, false);
    const id = newId();
    const fields = { category: this.form.category, rating: this.form.rating, note: this.form.noteValue(), language, ...where };
    fields.lon = Number(fields.lon.toFixed(7));
    fields.lat = Number(fields.lat.toFixed(7));
    await queueNew(id, fields, this.photo.blob);
    await this.sent(id, null);
  }

  async saveEdit() {
    const id = this.form.editing.id;
    const changes = this.form.changes();
    if ("note" in changes) changes.language = language; // the note is now in this screen's language
    const pin = this.position.pin;
    if (pin?.moved) {
      Object.assign(changes, { lon: Number(pin.lon.toFixed(7)), lat: Number(pin.lat.toFixed(7)), accuracy_m: null, position_source: "pin" });
    }
    if (!Object.keys(changes).length && !this.photo.blob) {
      this.finish();
      return this.confirm(text.nothing_changed, true);
    }
    this.confirm(text.saving, false);
    await queueEdit(id, changes, this.photo.blob);
    await this.sent(id, text.edit_saved);
  }

  async edit(id) {
    // Is the walk still open? Asked alongside, never waited for (a slow network must not hold up
    // the tap); a walk closed meanwhile ends the edit and says so.
    if (navigator.onLine) {
      this.checkWalk?.().then(() => {
        if (config.walk.state !== "closed" || this.form.editing?.id !== id) return;
        this.finish();
        this.confirm(text.closed, false);
      });
    }
    const local = await get("observations", id);
    if (!local) return;
    this.finish();
    this.confirm("", false);
    this.form.startEdit(local);
    this.position.hold(local.lat, local.lon);
    this.map.panTo(local.lat, local.lon);
    window.scrollTo({ top: 0, behavior: "smooth" }); // the pin where it is stored, and the choices
  }

  async remove(id) {
    if (!window.confirm(text.confirm_delete)) return;
    if (this.form.editing?.id === id) this.finish();
    await removeObservation(id);
    await this.list.refresh();
    if (navigator.onLine) await this.sync.flush();
    const refused = (await get("outbox", `delete:${id}`))?.failed;
    if (!refused) return this.confirm(text.deleted, true);
    this.confirm(format(text.refused, { reason: refused }), false);
    await this.checkWalk?.(); // closed meanwhile: the observation comes back from the server
  }

  // Ready for the next one at once; then, after trying to send, where it landed.
  async sent(id, message) {
    this.finish();
    window.scrollTo({ top: 0 });
    await this.list.refresh();
    if (navigator.onLine) await this.sync.flush();
    const local = await get("observations", id);
    const refused = (await allForWalk("outbox", walkId)).find(
      (item) => item.observation_id === id && item.failed && ["create", "edit", "photo"].includes(item.type)
    )?.failed;
    if (refused) {
      this.confirm(format(text.refused, { reason: refused }), false);
      return this.checkWalk?.(); // a change refused because the walk closed: the screen says so
    }
    const arrived = local && local.sent && !(await hasPending(id));
    if (arrived && local.landing?.late) this.onClosed?.(); // closed while this screen was open
    const late = arrived && local.landing?.late ? ` ${text.closed_saved}` : "";
    this.confirm(`✓ ${message || (arrived ? landingText(local.landing) : text.queued)}${late}`, true);
  }

  finish() {
    this.form.reset();
    this.photo.clear();
    this.position.release();
  }

  confirm(message, done) {
    this.result.textContent = message;
    this.result.classList.toggle("done", done);
    clearTimeout(this.fade);
    if (done) this.fade = setTimeout(() => this.result.classList.remove("done"), CONFIRM_MS);
  }
}
