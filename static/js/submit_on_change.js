// A file input marked data-submit-on-change sends its form as soon as a photo is chosen: a
// partner in the street marks a measure done in three taps (open it, "Åtgärdat – ta ett foto",
// take the photo). Without JavaScript the form's own button sends it.
for (const input of document.querySelectorAll("input[type=file][data-submit-on-change]")) {
  input.addEventListener("change", () => {
    if (input.files && input.files.length) input.form.requestSubmit();
  });
}
