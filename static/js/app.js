// Progressive enhancement only: every page works without this file.

// After an htmx swap, keyboard and screen-reader users must not be left on <body> (the element they were on was
// swapped out): the focus moves to what the server marked with data-focus-after-swap (the new comment, a message,
// the button just pressed), else to the new content itself. Where the focus still is on the page outside the new
// content (a filter button, the text being typed beside a live preview), it stays there.
document.addEventListener("htmx:afterSwap", (event) => {
  const root = event.target; // the new content: event.detail.target is the element it replaced (outerHTML swaps)
  if (!event.detail || !event.detail.xhr || !(root instanceof Element) || !root.isConnected) return;
  if (root.hasAttribute("data-swap-keeps-focus")) return; // swapped out of band beside the main content
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected && !root.contains(active)) return;
  const target = root.matches("[data-focus-after-swap]") ? root : root.querySelector("[data-focus-after-swap]") || root;
  if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) target.setAttribute("tabindex", "-1");
  target.focus();
});
