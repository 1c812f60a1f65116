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
