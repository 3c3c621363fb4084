// County pages: the 分享 button. The phone's own share sheet (Web Share API) where there is one,
// else the page address copied to the clipboard, else shown to copy by hand; each with a visible
// confirmation. The button stays hidden where scripts do not run.
function pageAddress() {
  return location.origin + location.pathname;
}

function say(button, text) {
  button.closest(".publicity-actions").querySelector(".share-status").textContent = text;
}

async function share(button) {
  const address = pageAddress();
  if (navigator.share) {
    try {
      await navigator.share({ title: button.dataset.shareTitle, text: button.dataset.shareText, url: address });
      return;
    } catch (error) {
      if (error.name === "AbortError") return; // the resident closed the share sheet
    }
  }
  try {
    await navigator.clipboard.writeText(`${button.dataset.shareTitle} ${address}`);
    say(button, "链接已复制，可以粘贴到微信群或短信里。");
  } catch {
    say(button, `请长按下面的网址复制：${address}`);
  }
}

export function mountShareButtons() {
  for (const button of document.querySelectorAll("[data-yb-share]")) {
    button.hidden = false;
    button.addEventListener("click", () => share(button));
  }
}
