// The site search, off the page's main thread. The index the theme's search plugin writes (one entry
// per page and per section, county pages boosted) is split at build end into files by character
// (search/shards/, build_scripts/site_hooks/search_shards.py): once the resident opens the search, the
// worker reads the list of pages and, for each query, only the files of the characters its terms need
// (the rarest character of each term: its file holds every entry that has the term), so a phone never
// downloads the whole index. Files already read are kept for the next queries.
//
// Chinese has no spaces, so a term is matched as a substring of an entry's title and text (居民 is
// found inside 城乡居民, 补缴 never matches 补助), and a query of several terms finds the pages that
// have them all. Residents write as they speak: 交 and 缴 are one character here, 啥 is 什么, 咋 is
// 怎么; a query that matches nothing as typed (南安交多少钱) is read as the words of the index it
// contains (南安, 缴多少钱). A term in a heading weighs more than one in the text; county pages' index
// entries list, per section, the words that section answers (本节讲到, build_scripts/search_terms.py),
// and per page the words about the whole page (本页关键词): each page's result opens where the query
// is answered — the page's top for a word about the whole page, else the section that answers it.
const TITLE_WEIGHT = 10;
const ANSWER_WEIGHT = 5;
const TEXT_WEIGHT = 1;
const SPOKEN = [[/交/g, "缴"], [/啥/g, "什么"], [/咋/g, "怎么"], [/哪儿/g, "哪里"]];
const SECTION_WORDS = /本节讲到：([^<]*)/;
const PAGE_WORDS = /本页关键词：([^<]*)/;
// What is left of a query read as words, and asks nothing by itself (新生儿怎么办 → 新生儿).
const ASKING = /怎么办|怎么样|怎么|什么|如何|多少|请问|能不能|可不可以|可以|需要|要|吗|呢|啊|的|了|我家|我们|我/g;
const SNIPPET_CHARS = 60;
const TERM_SEPARATORS = /[\s\u3000,，、。；;：:？?！!]+/;
const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

let shardsUrl = null; // the folder of the split index
let manifest = null; // {version, pages: [[own entry's number, location, title, boost]], vocabulary, shards: {character: entries}}
let vocabulary = []; // every word a section or page says it answers, longest first
let loading = null;
const known = new Map(); // entry number → entry, of the files read so far, and each of their pages' own entry
const shardLoads = new Map(); // character → the promise of its file
let entries = []; // the known entries in the index's order: [{location, page, title, text, boost, answers, pageWords, find}]
let fetched = []; // the files read since the last answer: the page keeps them for searching offline

self.onmessage = async ({ data }) => {
  if (data.type === "load") loading ??= load(data.url);
  if (data.type !== "query") return;
  try {
    await loading;
    const terms = await queryTerms(data.query);
    self.postMessage({ id: data.id, terms, pages: search(terms), fetched: fetched.splice(0) });
  } catch (error) {
    loading = null; // offline now: the next query tries again
    self.postMessage({ id: data.id, failed: true });
    console.warn("search index", error);
  }
};

async function load(url) {
  shardsUrl = url;
  manifest = await fetchJson(new URL("index.json", url).href);
  vocabulary = manifest.vocabulary;
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  const data = await response.json();
  fetched.push(url);
  return data;
}

// Reads the file of the rarest character of `word` (once): every entry that has `word` is then known.
// A character no entry has: nothing to read, nothing has the word.
function need(word) {
  const characters = [...new Set(word)];
  if (characters.some((character) => !manifest.shards[character])) return null;
  const rarest = characters.reduce((a, b) => (manifest.shards[b] < manifest.shards[a] ? b : a));
  if (!shardLoads.has(rarest)) {
    const url = new URL(`${rarest.codePointAt(0).toString(16)}-${manifest.version}.json`, shardsUrl).href;
    shardLoads.set(rarest, fetchJson(url).then(addShard, (error) => {
      shardLoads.delete(rarest); // offline: the next query tries again
      throw error;
    }));
  }
  return shardLoads.get(rarest);
}

// A page's own entry (its title, its top) stands in for the page while its text is not needed: a
// query's terms are not in that text, else the entry would have come with their files. Each string
// of a file is read once: thousands of county sections share their headings and word lists.
function addShard({ strings, entries: rows }) {
  const read = strings.map(readHtml);
  for (const [number, pageRow, fragment, title, text] of rows) {
    const [ownNumber, page, pageTitle, boost] = manifest.pages[pageRow];
    known.set(number, entry(fragment ? `${page}#${fragment}` : page, page, read[title], read[text], boost));
    if (ownNumber !== null && !known.has(ownNumber)) {
      known.set(ownNumber, entry(page, page, readHtml(pageTitle), readHtml(""), boost));
    }
  }
  entries = [...known.keys()].sort((a, b) => a - b).map((number) => known.get(number));
}

// An index string as the search reads it: its text, that text as searched, the words it says it answers.
function readHtml(html) {
  const text = plainText(html);
  const words = (pattern) => spoken(html.match(pattern)?.[1] ?? "").split("、").filter(Boolean);
  return { text, find: spoken(text), answers: words(SECTION_WORDS), pageWords: words(PAGE_WORDS) };
}

function entry(location, page, title, text, boost) {
  return {
    location,
    page,
    title: title.text,
    text: text.text,
    boost,
    answers: text.answers,
    pageWords: text.pageWords,
    find: { title: title.find, text: text.find }, // what terms are looked for in
  };
}

// As residents write it, as the pages do: 交 → 缴, 啥 → 什么, 咋 → 怎么; full-width forms and case folded.
function spoken(text) {
  let folded = text.normalize("NFKC").toLowerCase();
  for (const [pattern, written] of SPOKEN) folded = folded.replace(pattern, written);
  return folded;
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

// The query's terms, with the files they need read.
async function queryTerms(query) {
  const terms = [];
  for (const term of spoken(query).split(TERM_SEPARATORS).filter(Boolean)) terms.push(...(await wordsOf(term)));
  await Promise.all(terms.map(need));
  return terms;
}

async function found(word) {
  await need(word);
  return entries.some((entry) => entry.find.title.includes(word) || entry.find.text.includes(word));
}

// A term found somewhere as typed stays whole; else it is read as the index's words it contains
// (longest first), and what is left of it, where that is found (a place name): 南安缴多少钱 → 缴多少钱, 南安.
async function wordsOf(term) {
  if (await found(term)) return [term];
  const words = [];
  let rest = term;
  for (const word of vocabulary) {
    if (word.length < 2 || !rest.includes(word)) continue;
    words.push(word);
    rest = rest.split(word).join(" ");
  }
  for (const piece of rest.replace(ASKING, " ").split(" ")) {
    if (piece.length >= 2 && (await found(piece))) words.push(piece);
  }
  return words.length ? words : [term];
}

function termWeight(entry, term) {
  return (entry.find.title.includes(term) ? TITLE_WEIGHT : 0) +
    (entry.answers.some((word) => word.includes(term)) ? ANSWER_WEIGHT : 0) +
    (entry.find.text.includes(term) ? TEXT_WEIGHT : 0);
}

// A word about the whole page (本页关键词) or in its title (the place): it opens the page at its top.
function aboutThePage(own, term) {
  return Boolean(own) && (own.find.title.includes(term) || own.pageWords.some((word) => word.includes(term)));
}

// The section a page's link opens: the one that best answers the terms not about the whole page, if
// it answers them better than the page's own entry does; else null (the page's top).
function landing(own, parts, terms) {
  const specific = terms.map((term, i) => (aboutThePage(own, term) ? -1 : i)).filter((i) => i >= 0);
  if (!specific.length) return null;
  const score = (part) => specific.reduce((sum, i) => sum + part.weights[i], 0);
  const ownPart = parts.find((part) => part.entry === own);
  let best = null;
  for (const part of parts) {
    if (part.entry !== own && score(part) > 0 && (!best || score(part) > score(best))) best = part;
  }
  return best && score(best) > (ownPart ? score(ownPart) : 0) ? best.entry : null;
}

// [{location, title, snippet, opens?, sections: [{location, title, snippet}]}]: the pages where every
// term occurs (in the page's own entry or its sections), best first; under each, its matching
// sections, best first. A page's own link opens the section that answers the query best (`opens`: its
// heading) unless the query is about the whole page. Ties keep the index's order.
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
    const ranked = parts.filter((part) => part.score > 0 && part.entry !== own).sort((a, b) => b.score - a.score);
    const lands = landing(own, parts, terms);
    const sections = ranked.filter(({ entry }) => entry !== lands).map(({ entry }) => shown(entry, terms));
    found.push({ score: boost * best.reduce((a, b) => a + b, 0), ...shown(own ?? parts[0].entry, terms),
                 location: lands ? lands.location : location, opens: lands ? lands.title : null, sections });
  }
  return found.sort((a, b) => b.score - a.score).map(({ score, ...page }) => page);
}

function shown(entry, terms) {
  return { location: entry.location, title: entry.title, snippet: snippet(entry, terms) };
}

// The stretch of an entry's text around the first term found in it ("" if none is).
function snippet({ text, find }, terms) {
  const at = Math.min(...terms.map((term) => find.text.indexOf(term)).filter((i) => i >= 0));
  if (!Number.isFinite(at)) return "";
  const start = Math.max(0, at - SNIPPET_CHARS / 3);
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  return `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < text.length ? "…" : ""}`;
}
