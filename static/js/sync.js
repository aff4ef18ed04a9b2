// Sends the outbox: observations first, then edits, photos, photo removals and deletes. Every request is
// idempotent on the server (ids made on the phone), so a retry after a lost answer is safe.

import { allForWalk, write } from "./outbox.js";

// Track chunks, audits and a re-walk's checks (../track.js, ../audit.js, capture/checks.js) carry
// their own URL and JSON body.
const ORDER = { create: 0, edit: 1, audit: 2, check: 2, photo: 3, photo_delete: 4, delete: 5, track: 6 };
const MAX_BACKOFF_MS = 60_000;

export class Sync {
  constructor({ walkId, token, api, onChange }) {
    this.walkId = walkId;
    this.token = token;
    this.api = api;
    this.onChange = onChange;
    this.running = null;
    this.timer = null;
    this.failures = 0;
    // Seconds the phone's clock is ahead of the server's (negative: behind), as last answered;
    // clockHeld: something waits because the clocks are days apart.
    this.clockSkew = 0;
    this.clockHeld = false;
  }

  headers(json) {
    // The phone's clock as it sends: the server checks instants against the later of the two
    // clocks, and says by how much they disagree (X-Clock-Skew).
    const headers = {
      Authorization: `Bearer ${this.token}`,
      Accept: "application/json",
      "X-Phone-Time": new Date().toISOString(),
    };
    if (json) headers["Content-Type"] = "application/json";
    return headers;
  }

  async pending() {
    return allForWalk("outbox", this.walkId);
  }

  // Start a run unless one is going; resolves when the outbox has been tried once.
  flush() {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  schedule() {
    clearTimeout(this.timer);
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(this.failures, 6));
    // Jitter, so a room full of phones coming back online does not send in lockstep.
    this.timer = setTimeout(() => this.flush(), delay * (0.75 + Math.random() * 0.5));
  }

  async run() {
    const items = (await this.pending()).filter((item) => !item.failed);
    items.sort((a, b) => ORDER[a.type] - ORDER[b.type] || a.queued_at - b.queued_at);
    let retry = false;
    for (const item of items) {
      let outcome;
      try {
        outcome = await this.send(item);
      } catch (error) {
        outcome = "retry"; // offline, or the server went away mid-request
      }
      if (outcome === "retry") {
        retry = true;
        break; // keep the order: nothing later goes before this one
      }
      await this.onChange?.();
    }
    if (retry) {
      this.failures += 1;
      this.schedule();
    } else {
      this.failures = 0;
    }
    await this.onChange?.();
  }

  async send(item) {
    const id = item.observation_id;
    let response;
    if (item.type === "create") {
      response = await fetch(this.api.observations, {
        method: "POST", headers: this.headers(true), body: JSON.stringify(item.body),
      });
    } else if (item.type === "edit") {
      response = await fetch(`${this.api.observations}/${id}`, {
        method: "PATCH", headers: this.headers(true), body: JSON.stringify(item.body),
      });
    } else if (item.url) {
      response = await fetch(item.url, { method: "POST", headers: this.headers(true), body: JSON.stringify(item.body) });
    } else if (item.type === "delete") {
      response = await fetch(`${this.api.observations}/${id}`, {
        method: "DELETE", headers: this.headers(false),
      });
    } else if (item.type === "photo_delete") {
      response = await fetch(`${this.api.photos.replace("{id}", id)}/${item.photo_id}`, {
        method: "DELETE", headers: this.headers(false),
      });
      // Gone already (a retry after a lost answer) is what was asked.
      if (response.status === 404) return this.settle(item, {}).then(() => "sent");
    } else {
      const form = new FormData();
      form.append("id", item.photo_id);
      form.append("photo", item.blob, "photo.jpg");
      response = await fetch(this.api.photos.replace("{id}", id), {
        method: "POST", headers: this.headers(false), body: form,
      });
    }
    if (response.status === 429 || response.status >= 500) return "retry";
    if (item.type === "photo" && response.status === 404) return "retry"; // its observation first
    const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
    this.clockSkew = Number(response.headers.get("X-Clock-Skew") || 0);
    this.clockHeld = Boolean(body.retry);
    if (body.retry) return "retry"; // nothing wrong with it but the clocks: kept, tried again
    if (response.ok) {
      await this.settle(item, body);
      return "sent";
    }
    // Refused for good (the server said why): keep it, visible, never silently dropped.
    const messages = body.errors ? Object.values(body.errors).join(" ") : body.error || "";
    const failed = messages || String(response.status);
    await write({ update: [["outbox", item.key, (current) => (current.rev === item.rev ? { ...current, failed } : undefined)]] });
    return "failed";
  }

  // Done with one item. It leaves the outbox only if nobody changed it while it was on its
  // way (an edit typed straight after saving); the phone's copy takes the server's answer.
  async settle(item, body) {
    const update = [["outbox", item.key, (current) => (current.rev === item.rev ? null : undefined)]];
    if (item.type === "create" || item.type === "edit") {
      update.push(["observations", item.observation_id, (local) => ({ ...local, landing: body, sent: true })]);
      this.lastLanding = { id: item.observation_id, body };
    }
    if (item.type === "photo") {
      const sent = (local) => [...new Set([...(local.photos || []), item.photo_id])];
      update.push(["observations", item.observation_id, (local) => ({ ...local, photo_sent: true, photos: sent(local) })]);
    }
    await write({ update });
  }
}
