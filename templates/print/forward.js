// calculator/share/<id>/ (the page a share link opens, for its preview card) → the calculator with that
// county; the household travels in the URL fragment, which never reaches a server. It is handed on in
// the tab's window.name, not in the calculator's address: an address with the household would be one
// more entry of it in the browser's History and saved session (calculator.js reads and clears it).
// Inlined in the page's head (calculator_share.html.j2): it runs as the head is parsed, with nothing to
// fetch first, so the browser's saved session takes the address without the fragment as soon as can be.
const policy = document.documentElement.dataset.policy;
if (location.hash.startsWith("#v")) {
  window.name = `yb-share:${location.hash}`;
  history.replaceState(null, "", location.pathname); // nor in this page's entry, before it is replaced
}
location.replace(`../../?policy=${encodeURIComponent(policy)}`);
