// The printable 明白纸: shrink the type until the sheet fits one A4 page (notices differ a lot in
// length), show the whole sheet on a narrow screen (zoomed out, on screen only), and the
// 打印 / 保存为PDF button.
(function () {
  "use strict";
  const LARGEST_PT = 12;
  const SMALLEST_PT = 7;
  const STEP_PT = 0.25;
  const SCREEN_GUTTER_PX = 16;

  function cssLengthInPixels(length) {
    const probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;height:" + length;
    document.body.appendChild(probe);
    const pixels = probe.getBoundingClientRect().height;
    probe.remove();
    return pixels;
  }

  // Measured at paper size: the screen zoom is set afterwards.
  function fitToPage(poster) {
    const pageHeight = cssLengthInPixels(getComputedStyle(document.documentElement).getPropertyValue("--poster-height"));
    let size = LARGEST_PT;
    poster.style.setProperty("--poster-font", size + "pt");
    while (poster.getBoundingClientRect().height > pageHeight && size > SMALLEST_PT) {
      size -= STEP_PT;
      poster.style.setProperty("--poster-font", size + "pt");
    }
    poster.dataset.fontPt = String(size);
  }

  function fitToScreen(poster) {
    const paperWidth = cssLengthInPixels(getComputedStyle(document.documentElement).getPropertyValue("--poster-paper-width"));
    const room = document.documentElement.clientWidth - SCREEN_GUTTER_PX;
    document.documentElement.style.setProperty("--poster-zoom", String(Math.min(1, room / paperWidth)));
  }

  const poster = document.querySelector("[data-yb-poster]");
  if (poster) {
    fitToPage(poster);
    fitToScreen(poster);
    window.addEventListener("resize", () => fitToScreen(poster));
  }
  for (const button of document.querySelectorAll("[data-yb-print]")) {
    button.addEventListener("click", () => window.print());
  }
}());
