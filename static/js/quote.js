// "Zitieren und kommentieren" (progressive enhancement; without this file the quote is typed or pasted into the
// comment form). Selecting words in one paragraph of the section - by mouse, touch or keyboard (Shift + arrows,
// caret browsing) - offers a button after that paragraph; it fills paragraph and quote in the comment form and
// moves the focus to the comment text. The button stays until another selection replaces it, so keyboard users
// can reach it with Tab.
(() => {
  "use strict";
  const body = document.querySelector(".section-body");
  if (!body) return;
  let offer = null; // {button, paragraph, text}

  function formReady() {
    return document.getElementById("c-paragraph") && document.getElementById("c-quote") && document.getElementById("c-body");
  }

  function paragraphOf(node) {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".section-body .paragraph") : null;
  }

  function removeOffer() {
    if (offer) offer.button.remove();
    offer = null;
  }

  function quoteIt() {
    if (!offer || !formReady()) return;
    const select = document.getElementById("c-paragraph");
    const quote = document.getElementById("c-quote");
    select.value = offer.paragraph.id;
    quote.value = offer.text.slice(0, 1000);
    const text = document.getElementById("c-body");
    removeOffer();
    text.scrollIntoView({ block: "center" });
    text.focus();
  }

  function update() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return; // keep the offer for Tab
    const text = selection.toString().replace(/\s+/g, " ").trim();
    const paragraph = paragraphOf(selection.anchorNode);
    if (!text || !paragraph || paragraph !== paragraphOf(selection.focusNode) || !formReady()) return;
    if (offer && offer.paragraph === paragraph) {
      offer.text = text;
      return;
    }
    removeOffer();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small secondary quote-offer no-print";
    button.textContent = body.dataset.quoteLabel || "Zitieren und kommentieren";
    button.addEventListener("click", quoteIt);
    // Pressing the button must not lose the selection first (mouse and touch).
    button.addEventListener("mousedown", (event) => event.preventDefault());
    const margin = paragraph.querySelector(".paragraph-margin");
    paragraph.insertBefore(button, margin);
    offer = { button, paragraph, text };
  }

  let pending = 0;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150); // touch handles move in small steps
  });
  document.addEventListener("keyup", (event) => { if (event.shiftKey || event.key === "Shift") update(); });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") removeOffer(); });
})();
