// Which GPS fixes become points of the walked track (pure: no DOM, no clock; unit-tested in
// tests/browser/test_track.py). The rules come from walkapp/tracks.py (RULES):
// a point every min_distance_m or max_interval_s, only fixes within max_accuracy_m; a jump
// implying more than max_speed_m_s is a GPS error and dropped (after three in a row the track
// starts again there, as a new part); no point for gap_s, or a break() (screen off, recording
// paused), starts a new part: the two ends of a gap are never joined by a line.

// Metres between two fixes (equirectangular: exact enough over a few hundred metres).
export function metres(a, b) {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

export class TrackFilter {
  constructor(rules) {
    this.rules = rules;
    this.last = null; // the last point kept
    this.broken = true; // the next point kept starts a new part
    this.jumps = 0;
  }

  // A fix {lon, lat, accuracy, t (ms)} -> {point, reason}: point is what to keep (with
  // `gap: true` when it starts a new part after an earlier one), or null with the reason.
  add(fix) {
    const r = this.rules;
    if (!(fix.accuracy <= r.max_accuracy_m)) return { point: null, reason: "accuracy" };
    if (!this.last) return this.keep(fix);
    const seconds = (fix.t - this.last.t) / 1000;
    if (seconds <= 0) return { point: null, reason: "time" };
    if (this.broken || seconds > r.gap_s) return this.keep(fix, true);
    const distance = metres(this.last, fix);
    if (distance < r.min_distance_m && seconds < r.max_interval_s) return { point: null, reason: "close" };
    if (distance / seconds > r.max_speed_m_s) {
      this.jumps += 1;
      if (this.jumps >= 3) return this.keep(fix, true);
      return { point: null, reason: "jump" };
    }
    return this.keep(fix);
  }

  keep(fix, gap = false) {
    const first = this.last === null;
    this.last = fix;
    this.broken = false;
    this.jumps = 0;
    const point = {
      lon: Number(fix.lon.toFixed(7)),
      lat: Number(fix.lat.toFixed(7)),
      accuracy_m: Math.round(fix.accuracy * 10) / 10,
      t: new Date(fix.t).toISOString(),
    };
    if (gap && !first) point.gap = true;
    return { point, reason: null };
  }

  // The screen went off or recording paused: whatever comes next is a new part.
  break() {
    this.broken = true;
  }
}
