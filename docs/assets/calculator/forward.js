// calculator/share/<id>/ (the page a share link opens, for its preview card) → the calculator with that
// county; the household travels in the URL fragment, which never reaches a server. An external file, so a
// Content-Security-Policy of script-src 'self' allows it.
const policy = document.documentElement.dataset.policy;
location.replace(`../../?policy=${encodeURIComponent(policy)}${location.hash}`);
