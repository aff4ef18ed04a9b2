// A repeat walk: send an "after" photo of a fixed earlier observation (the list is server-rendered).
// The walker's token from the capture screen's config authenticates, as for every walker call.

const section = document.querySelector(".after-photos");
const config = JSON.parse(document.getElementById("capture-config").textContent);
const text = JSON.parse(document.getElementById("after-texts").textContent);

async function send(item, file) {
  const result = item.querySelector(".after-result");
  result.textContent = text.sending;
  const body = new FormData();
  body.append("id", crypto.randomUUID());
  body.append("photo", file);
  try {
    const response = await fetch(section.dataset.url.replace("OBSERVATION", item.dataset.observation), {
      method: "POST",
      body,
      headers: { Authorization: `Bearer ${config.token}`, Accept: "application/json" },
    });
    result.textContent = response.ok ? `✓ ${text.sent}` : text.failed;
  } catch {
    result.textContent = text.failed;
  }
}

for (const item of section.querySelectorAll("li[data-observation]")) {
  item.querySelector("input[type=file]").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) send(item, file);
  });
}
