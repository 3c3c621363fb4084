// The site search, off the page's main thread: loads the index the theme's search plugin writes
// (search/search_index.json: one entry per page and per section, county pages boosted) once the
// resident opens the search, and answers each query with the matching pages, best first.
//
// Chinese has no spaces, so a term is matched as a substring of an entry's title and text (居民 is
// found inside 城乡居民, 补缴 never matches 补助), and a query of several terms finds the pages that
// have them all. A term in a heading weighs more than one in the text; county pages' index entries
// list, per section, the words that section answers (build_scripts/search_terms.py), so the section
// that answers a word comes first under its page.
const TITLE_WEIGHT = 10;
const TEXT_WEIGHT = 1;
const SNIPPET_CHARS = 60;
const TERM_SEPARATORS = /[\s\u3000,，、。；;：:？?！!]+/;
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

let entries = null; // [{location, page, title, text, boost}] in the index's order
let loading = null;

self.onmessage = async ({ data }) => {
  if (data.type === "load") loading ??= load(data.url);
  if (data.type !== "query") return;
  try {
    await loading;
    const terms = queryTerms(data.query);
    self.postMessage({ id: data.id, terms, pages: search(terms) });
  } catch (error) {
    loading = null; // offline now: the next query tries again
    self.postMessage({ id: data.id, failed: true });
    console.warn("search index", error);
  }
};

async function load(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  const { docs } = await response.json();
  entries = docs.map((doc) => ({
    location: doc.location,
    page: doc.location.split("#")[0],
    title: plainText(doc.title),
    text: plainText(doc.text),
    boost: doc.boost ?? 1,
  }));
}

// The index holds HTML fragments (and, where the build segmented Chinese, zero-width spaces).
function plainText(html) {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name) => ENTITIES[name])
    .replace(/\u200b/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function queryTerms(query) {
  return query.normalize("NFKC").toLowerCase().split(TERM_SEPARATORS).filter(Boolean);
}

function termWeight(entry, term) {
  return (entry.title.toLowerCase().includes(term) ? TITLE_WEIGHT : 0) +
    (entry.text.toLowerCase().includes(term) ? TEXT_WEIGHT : 0);
}

// [{location, title, snippet, sections: [{location, title, snippet}]}]: the pages where every term
// occurs (in the page's own entry or its sections), best first; under each, its matching sections,
// best first. Ties keep the index's order.
function search(terms) {
  if (!terms.length) return [];
  const pages = new Map();
  for (const entry of entries) {
    if (!pages.has(entry.page)) pages.set(entry.page, { own: null, parts: [] });
    const page = pages.get(entry.page);
    const weights = terms.map((term) => termWeight(entry, term));
    if (entry.location === entry.page) page.own = entry;
    page.parts.push({ entry, weights, score: weights.reduce((a, b) => a + b, 0) });
  }
  const found = [];
  for (const [location, { own, parts }] of pages) {
    const best = terms.map((_, i) => Math.max(...parts.map((part) => part.weights[i])));
    if (best.some((weight) => weight === 0)) continue;
    const boost = own?.boost ?? parts[0].entry.boost;
    const sections = parts.filter((part) => part.score > 0 && part.entry !== own)
      .sort((a, b) => b.score - a.score)
      .map(({ entry }) => shown(entry, terms));
    found.push({ score: boost * best.reduce((a, b) => a + b, 0), ...shown(own ?? parts[0].entry, terms), location, sections });
  }
  return found.sort((a, b) => b.score - a.score).map(({ score, ...page }) => page);
}

function shown(entry, terms) {
  return { location: entry.location, title: entry.title, snippet: snippet(entry.text, terms) };
}

// The stretch of text around the first term found in it ("" if none is).
function snippet(text, terms) {
  const lower = text.toLowerCase();
  const at = Math.min(...terms.map((term) => lower.indexOf(term)).filter((i) => i >= 0));
  if (!Number.isFinite(at)) return "";
  const start = Math.max(0, at - SNIPPET_CHARS / 3);
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}
