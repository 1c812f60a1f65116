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
// Passkeys (WebAuthn): the server's options carry bytes as base64url text, the browser wants
// them as buffers, and its answer goes back as base64url text. Forms (with the page's CSRF
// token) carry both ways.
const b64 = {
  decode(text) {
    const plain = text.replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(plain + "===".slice((plain.length + 3) % 4)), (c) => c.charCodeAt(0)).buffer;
  },
  encode(buffer) {
    let text = "";
    new Uint8Array(buffer).forEach((byte) => { text += String.fromCharCode(byte); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
};
async function passkeyPost(path, fields) {
  const response = await fetch(path, { method: "POST", credentials: "same-origin", body: new URLSearchParams(fields) });
  let body = {};
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) throw new Error(body.message || String(response.status));
  return body;
}
function passkeyStatus(element, text) {
  const status = element.querySelector("[role='status']");
  if (status) status.textContent = text;
}
document.querySelectorAll("form[data-passkey='register']").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = form.querySelector("input[name='csrf']").value;
    try {
      const started = await passkeyPost("/account/passkeys/start", { csrf });
      const options = started.options.publicKey;
      options.challenge = b64.decode(options.challenge);
      options.user.id = b64.decode(options.user.id);
      (options.excludeCredentials || []).forEach((c) => { c.id = b64.decode(c.id); });
      const made = await navigator.credentials.create({ publicKey: options });
      const credential = {
        id: made.id,
        rawId: b64.encode(made.rawId),
        type: made.type,
        extensions: made.getClientExtensionResults(),
        response: {
          attestationObject: b64.encode(made.response.attestationObject),
          clientDataJSON: b64.encode(made.response.clientDataJSON),
        },
      };
      await passkeyPost("/account/passkeys/finish", {
        csrf,
        ceremony: started.ceremony,
        name: form.querySelector("input[name='name']").value,
        credential: JSON.stringify(credential),
      });
      location.reload();
    } catch (error) {
      passkeyStatus(form, error.message);
    }
  });
});
document.querySelectorAll("form[data-passkey='sign-in']").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = form.querySelector("input[name='csrf']").value;
    try {
      const started = await passkeyPost("/signin/passkey/start", { csrf, email: form.querySelector("input[name='email']").value });
      const options = started.options.publicKey;
      options.challenge = b64.decode(options.challenge);
      (options.allowCredentials || []).forEach((c) => { c.id = b64.decode(c.id); });
      const got = await navigator.credentials.get({ publicKey: options });
      const credential = {
        id: got.id,
        rawId: b64.encode(got.rawId),
        type: got.type,
        extensions: got.getClientExtensionResults(),
        response: {
          authenticatorData: b64.encode(got.response.authenticatorData),
          clientDataJSON: b64.encode(got.response.clientDataJSON),
          signature: b64.encode(got.response.signature),
          userHandle: got.response.userHandle ? b64.encode(got.response.userHandle) : null,
        },
      };
      const done = await passkeyPost("/signin/passkey/finish", { csrf, ceremony: started.ceremony, credential: JSON.stringify(credential) });
      location.href = done.location;
    } catch (error) {
      passkeyStatus(form, error.message);
    }
  });
});
