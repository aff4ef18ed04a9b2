// One screen, really: the map takes the height that the header, the categories (with the 112
// reminder when Händelse is chosen) and the Spara bar leave, so after a save all of them are in
// view at once, in every language; a label whose longest word does not fit its button shrinks
// (and, past a floor, takes two columns) instead of breaking the word. When even the smallest map
// leaves too little (long labels under a two-line title on a small phone), the category labels
// shrink together until they fit. Phones that hyphenate (lang + hyphens: auto) need less of that.
// Measured again whenever one of the parts changes.

import { $ } from "./page.js";

const MIN_FONT_PX = 10.5; // below this a label is hard to read outdoors: it takes two columns instead

// A line of the label wider than the button's inside (a word that does not fit runs over the
// padding to the border; scrollWidth misses it when the text is centred).
function overflows(element) {
  const style = getComputedStyle(element);
  const room = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const range = document.createRange();
  range.selectNodeContents(element);
  return [...range.getClientRects()].some((line) => line.width > room + 0.5);
}

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
  // What the screen takes besides the map, down to `end` (the categories, or the reminder).
  const chrome = (end) => {
    const below = end.getBoundingClientRect().bottom + parseFloat(getComputedStyle(end).marginBottom) - map.getBoundingClientRect().bottom;
    const above = map.getBoundingClientRect().top + window.scrollY;
    const px = Math.ceil(above + below + bar.offsetHeight);
    document.documentElement.style.setProperty("--chrome", `${px}px`);
    return px;
  };
  // Labels to their width; then, while the smallest map still pushes categories under the bar,
  // every category label half a pixel smaller (the reminder may scroll, the categories do not).
  const fitLabelsToScreen = () => {
    categories.style.removeProperty("--category-size");
    for (const button of labels) button.style.fontSize = "";
    let size = parseFloat(getComputedStyle(labels[0]).fontSize);
    fitLabels(labels);
    while (chrome(categories) + map.offsetHeight > innerHeight && size - 0.5 >= MIN_FONT_PX) {
      size -= 0.5;
      categories.style.setProperty("--category-size", `${size}px`);
      fitLabels(labels);
    }
  };
  let fitted = "";
  const measure = () => {
    // The labels change only when what they share the screen with does (never for the reminder).
    const key = `${categories.clientWidth} ${innerHeight} ${header.offsetHeight} ${bar.offsetHeight}`;
    if (key !== fitted) {
      fitted = key;
      fitLabelsToScreen();
    }
    chrome(incident.hidden ? categories : incident);
  };
  measure();
  const observer = new ResizeObserver(measure);
  for (const part of [header, $("#closed-note"), categories, incident, bar]) observer.observe(part);
  new ResizeObserver(() => onMapResize?.()).observe(map);
  return measure;
}
