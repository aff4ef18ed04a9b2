// What the server hands the capture screen (#capture-config): the walk, the token, the
// rules (accuracy bands, note limit, rating colours) and the words, plus two small helpers.

export const config = JSON.parse(document.getElementById("capture-config").textContent);
export const text = config.text;
export const walkId = config.walk.id;
export const $ = (selector) => document.querySelector(selector);

// The screen's language: sent with what the walker writes, so coordinators know what a note is in.
export const language = document.documentElement.lang;

// On a right-to-left screen each value is isolated (U+2068 … U+2069): numbers, metres and place
// names keep their own order inside Arabic or Persian text.
const ISOLATE = document.documentElement.dir === "rtl" ? ["\u2068", "\u2069"] : ["", ""];
export function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => `${ISOLATE[0]}${values[key]}${ISOLATE[1]}`);
}

// A count in the screen's language: `entry` holds the catalogue's plural forms and which one each
// count takes (walkapp/views/capture_texts.py `counted`); past the table, 100 + n % 100 (every
// rule of ours reads only n and n % 100).
export function counted(entry, n) {
  const at = n < entry.index.length ? n : entry.index.length - 100 + (n % 100);
  return format(entry.forms[entry.index[at]], { n });
}

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Where an observation landed, as the server assigned it.
export function landingText(landing) {
  if (!landing) return text.queued;
  if (landing.relation === "inside") return format(text.inside, { place: landing.place });
  if (landing.relation === "near") return format(text.near, { place: landing.place, m: Math.round(landing.distance_m) });
  return text.none;
}
