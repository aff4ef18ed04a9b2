// Status changes in the meeting view are sent in the background: the page stays where it is.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("inline-status")) return;
    event.preventDefault();
    var result = form.querySelector(".status-result");
    result.textContent = "…";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok) {
          result.textContent = "✓ " + answer.body.label;
          result.className = "status-result ok";
        } else {
          var errors = answer.body.errors || {};
          result.textContent = Object.keys(errors).map(function (k) { return errors[k]; }).join(" ") || answer.body.error;
          result.className = "status-result error";
        }
      })
      .catch(function () {
        result.textContent = "✗";
        result.className = "status-result error";
      });
  });
})();
