// Marquee: the little every page may need, without inline script (the content security policy
// allows none): buttons marked data-print print the page (a ticket, the manage page).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
