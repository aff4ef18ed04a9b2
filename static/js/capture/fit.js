// One screen, really: the map takes the height that the header, the categories (with the 112
// reminder when Händelse is chosen) and the Spara bar leave, so after a save all of them are in
// view at once, in every language; a label whose longest word does not fit its button shrinks
// (and, past a floor, takes two columns) instead of breaking the word. Phones that hyphenate
// (lang + hyphens: auto) need none of that. Measured again whenever one of the parts changes.

import { $ } from "./page.js";

const MIN_FONT_PX = 10.5; // below this a label is hard to read outdoors: it takes two columns instead

const overflows = (element) => element.scrollWidth > element.clientWidth + 1;

function shrink(button) {
  let size = parseFloat(getComputedStyle(button).fontSize);
  while (overflows(button) && size - 0.5 >= MIN_FONT_PX) {
    size -= 0.5;
    button.style.fontSize = `${size}px`;
  }
  return !overflows(button);
}

function fitLabels(buttons) {
  for (const button of buttons) {
    button.style.fontSize = "";
    button.classList.remove("wide", "breaks");
  }
  for (const button of buttons) {
    if (shrink(button)) continue;
    button.style.fontSize = "";
    if (button.classList.contains("category")) button.classList.add("wide");
    if (!shrink(button)) button.classList.add("breaks"); // the last resort: break, never clip
  }
}

// Scroll the least so the element is wholly between the header and the Spara bar.
export function reveal(element) {
  const box = element.getBoundingClientRect();
  const top = $(".capture-bar").getBoundingClientRect().bottom;
  const bottom = $(".save-bar")?.getBoundingClientRect().top ?? innerHeight;
  if (box.bottom > bottom) window.scrollBy({ top: box.bottom - bottom + 8 });
  else if (box.top < top) window.scrollBy({ top: box.top - top - 8 });
}

export function fitScreen(onMapResize) {
  const bar = $(".save-bar");
  const map = $("#map");
  if (!bar) return () => null; // a closed walk: no form to fit
  const header = $(".capture-bar");
  const categories = $(".categories");
  const incident = $("#incident-note");
  const labels = [...document.querySelectorAll(".category, .rating")];
  let width = 0;
  const measure = () => {
    if (categories.clientWidth !== width) {
      width = categories.clientWidth;
      fitLabels(labels);
    }
    const end = incident.hidden ? categories : incident;
    const below = end.getBoundingClientRect().bottom + parseFloat(getComputedStyle(end).marginBottom) - map.getBoundingClientRect().bottom;
    const above = map.getBoundingClientRect().top + window.scrollY;
    document.documentElement.style.setProperty("--chrome", `${Math.ceil(above + below + bar.offsetHeight)}px`);
  };
  measure();
  const observer = new ResizeObserver(measure);
  for (const part of [header, $("#closed-note"), categories, incident, bar]) observer.observe(part);
  new ResizeObserver(() => onMapResize?.()).observe(map);
  return measure;
}
