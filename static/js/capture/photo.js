// The optional photo: scaled on the phone before it is queued (long side at most 1600 px,
// JPEG), which spares the walker's data; an unscalable file is sent as it is, never lost.

import { $ } from "./page.js";

const LONG_SIDE = 1600;

async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close?.();
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.82));
}

export class PhotoField {
  constructor() {
    this.blob = null;
    this.input = $("#photo");
    this.preview = $("#photo-preview");
    this.clearButton = $("#photo-clear");
    this.input.addEventListener("change", () => this.take());
    this.clearButton.addEventListener("click", () => this.clear());
  }

  async take() {
    const file = this.input.files[0];
    if (!file) return;
    try {
      this.blob = await shrink(file);
    } catch (error) {
      this.blob = file; // the server checks it; better sent unshrunk than lost
    }
    this.show();
  }

  // A photo taken before the language switch (./draft.js).
  restore(blob) {
    this.blob = blob;
    this.show();
  }

  show() {
    if (this.preview.src) URL.revokeObjectURL(this.preview.src);
    this.preview.src = URL.createObjectURL(this.blob);
    this.preview.hidden = false;
    this.clearButton.hidden = false;
  }

  clear() {
    this.blob = null;
    this.input.value = "";
    this.preview.hidden = true;
    this.clearButton.hidden = true;
  }
}
