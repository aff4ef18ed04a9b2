// The GPS: asked for on a tap (a prompt out of nowhere gets refused), or at once when the
// phone already allows it. Shows the accuracy in metres, coloured good / fair / poor.

import { $, format, text } from "./page.js";

export class Locator {
  constructor(position) {
    this.position = position;
    this.running = false;
    this.denied = false;
    this.status = $("#gps-status");
    this.button = $("#use-gps");
    this.button.addEventListener("click", () => {
      this.position.release();
      this.start();
    });
  }

  async init() {
    let granted = false;
    try {
      granted = (await navigator.permissions.query({ name: "geolocation" })).state === "granted";
    } catch (error) {
      granted = false;
    }
    if (granted) this.start();
    else this.show();
  }

  start() {
    if (this.running || !("geolocation" in navigator)) return;
    this.running = true;
    this.denied = false;
    this.show();
    navigator.geolocation.watchPosition(
      (reading) => this.position.add(reading.coords.latitude, reading.coords.longitude, reading.coords.accuracy),
      (error) => {
        if (error.code === error.PERMISSION_DENIED) {
          this.running = false;
          this.denied = true;
        }
        this.show();
      },
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 }
    );
  }

  // The status line under the map, from the position's state.
  show() {
    const { pin } = this.position;
    const best = this.position.best();
    let message;
    let band = "";
    if (pin && pin.moved) message = text.gps_manual;
    else if (pin) message = text.pin_stored;
    else if (best) {
      const m = Math.round(best.accuracy);
      band = this.position.band(best.accuracy);
      message = format(band === "poor" ? text.gps_poor : text.gps_ok, { m });
    } else if (this.denied) message = text.gps_denied;
    else message = this.running ? text.gps_wait : text.gps_start;
    if (this.status.textContent !== message) this.status.textContent = message; // keep the painted text
    this.status.dataset.band = band;
    const latest = this.position.readings.at(-1);
    this.status.dataset.latestM = latest ? String(Math.round(latest.accuracy)) : ""; // the newest reading, for tests
    this.button.hidden = this.running ? !(pin && pin.moved && best) : false;
  }
}
