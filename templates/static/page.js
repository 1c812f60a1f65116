// Marquee: the little every page may need, without inline script (the content security policy
// allows none): buttons marked data-print print the page (a ticket, the manage page); a form
// shown again with a problem puts the person on the first field at fault.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
// A refused form comes back at the top of what may be a long page: the first field at fault takes
// the focus (and with it the view), its problem written beside it.
const invalid = document.querySelector("[aria-invalid='true']");
if (invalid) invalid.focus();
// A pass holder's photo, on the organisers' passes page: sent to the API (a file is no form
// field the pages' CSRF check reads), then the page shows it.
document.querySelectorAll("form[data-photo-upload]").forEach((form) => {
  const status = form.querySelector("[role='status']");
  async function send(method, body, type) {
    const headers = type ? { "Content-Type": type } : {};
    const response = await fetch(form.dataset.photoUpload, { method, credentials: "same-origin", headers, body });
    if (response.ok) {
      location.reload();
      return;
    }
    let message = String(response.status);
    try { message = (await response.json()).message || message; } catch (_) { /* not JSON */ }
    status.textContent = message;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = form.querySelector("input[type='file']").files[0];
    if (file) send("PUT", file, file.type || "application/octet-stream");
  });
  const remove = form.querySelector("[data-photo-remove]");
  if (remove) remove.addEventListener("click", () => send("DELETE"));
});
