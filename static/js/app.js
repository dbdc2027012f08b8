// Progressive enhancement only: every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to a swapped region that asks for it, so keyboard and screen-reader users follow the change.
  const target = event.detail.target.querySelector("[data-focus-after-swap]") || event.detail.target.closest("[data-focus-after-swap]");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
