// A half-filled observation survives the language switch (and a reload): its category, rating,
// note, a pin the walker placed, the photo and what it edits are kept in this tab's
// sessionStorage while the page changes, and put back when the screen is there again.

import { text, walkId } from "./page.js";

const KEY = `walkapp-draft:${walkId}`;

function readAsDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// A data: URL back to a Blob without fetch (the page's CSP allows no data: connections).
function toBlob(url) {
  const [head, data] = url.split(",");
  const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
  return new Blob([bytes], { type: head.slice(5).split(";")[0] });
}

function store(draft) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch (error) {
    // storage full (a large photo): keep what fits, the words and choices
    delete draft.photo;
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  }
}

export function keepDrafts({ form, photo, position, saver, map }) {
  let read = { blob: null, url: null }; // the photo as text, read once (pagehide cannot wait)
  const save = async () => {
    const pin = position.pin?.moved ? { lat: position.pin.lat, lon: position.pin.lon } : null;
    const draft = { category: form.category, rating: form.rating, note: form.note.value, pin, editing: form.editing?.id || null };
    if (!draft.category && !draft.rating && !draft.note && !pin && !photo.blob && !draft.editing) {
      sessionStorage.removeItem(KEY);
      return;
    }
    const known = photo.blob && read.blob === photo.blob ? read.url : null;
    store(known ? { ...draft, photo: known } : draft); // at once: a page being left may not wait
    if (photo.blob && !known) {
      read = { blob: photo.blob, url: await readAsDataUrl(photo.blob) };
      store({ ...draft, photo: read.url });
    }
  };
  for (const link of document.querySelectorAll(".languages a")) {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      await save().catch(() => null);
      // The language is a cookie the server sets: asked for first, so in a dead zone the screen
      // stays as it is (going there would end on the browser's offline page).
      try {
        await fetch(link.href, { redirect: "manual", credentials: "same-origin" });
      } catch (error) {
        sessionStorage.removeItem(KEY); // the screen stays: nothing to put back (pagehide keeps it)
        link.closest("details")?.removeAttribute("open");
        saver.say(text.language_offline);
        return;
      }
      location.assign(link.href);
    });
  }
  window.addEventListener("pagehide", () => save());

  const restore = async () => {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return;
    sessionStorage.removeItem(KEY);
    const draft = JSON.parse(raw);
    if (draft.editing) await saver.edit(draft.editing);
    if (draft.category) form.choose("category", draft.category);
    if (draft.rating) form.choose("rating", draft.rating);
    form.note.value = draft.note || "";
    form.count();
    if (draft.pin) {
      position.place(draft.pin.lat, draft.pin.lon);
      map.panTo(draft.pin.lat, draft.pin.lon);
    }
    if (draft.photo) photo.restore(toBlob(draft.photo));
  };
  return restore().catch(() => null);
}
