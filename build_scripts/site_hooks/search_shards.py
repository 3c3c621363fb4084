"""After the search plugin has written its index: the same entries split into files a phone fetches
only when a query needs them (docs/assets/site/search-worker.js), so that a search fetches and parses
a small part of the index with thousands of counties.

- search/shards/index.json: the pages (their own entry's number, location, title, boost), the words
  sections and pages say they answer (the worker's vocabulary, longest first), and per character the
  number of entries that have it.
- search/shards/<code point, hex>-<version>.json: every entry whose title or text has that character, with its
  number in the index's order.  An entry that has a term has each of its characters, so the file of
  the term's rarest character holds every entry the term can match.  Strings repeated across counties
  (headings, 本节讲到 lists) are stored once per file.  `version` (in index.json too) is a hash of the
  index: a worker that read index.json before a site update never mixes it with files of the next build.

Characters are counted on the text as the worker reads it (plainText, then spoken), in step with
search-worker.js.
"""
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from mkdocs.plugins import event_priority

SPOKEN = (("交", "缴"), ("啥", "什么"), ("咋", "怎么"), ("哪儿", "哪里"))
ANSWER_WORDS = (re.compile(r"本节讲到：([^<]*)"), re.compile(r"本页关键词：([^<]*)"))
ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'", "nbsp": " "}
ENTITY = re.compile(r"&(amp|lt|gt|quot|#39|nbsp);")
TAG = re.compile(r"<[^>]*>")


@event_priority(-100)  # after the search plugin has written search_index.json
def on_post_build(config):
    folder = Path(config["site_dir"]) / "search"
    index = (folder / "search_index.json").read_bytes()
    write_shards(json.loads(index)["docs"], folder / "shards", hashlib.sha256(index).hexdigest()[:12])


def write_shards(docs, folder, version):
    folder.mkdir(parents=True, exist_ok=True)
    pages, page_of = page_table(docs)
    by_character = defaultdict(list)
    for number, doc in enumerate(docs):
        # sorted: the same files in the same order every build
        for character in sorted(set(spoken(plain_text(doc["title"]) + " " + plain_text(doc["text"])))):
            if not character.isspace():
                by_character[character].append(number)
    for character, numbers in by_character.items():
        write_json(folder / ("%x-%s.json" % (ord(character), version)), shard([(number, docs[number]) for number in numbers], page_of))
    write_json(folder / "index.json", {"version": version, "pages": pages, "vocabulary": vocabulary(docs),
                                       "shards": {character: len(numbers) for character, numbers in by_character.items()}})


def page_table(docs):
    """[[own entry's number or None, location, title, boost]] in the index's order, and location → row."""
    pages, page_of = [], {}
    for number, doc in enumerate(docs):
        page = doc["location"].split("#")[0]
        if page not in page_of:
            page_of[page] = len(pages)
            pages.append([None, page, "", doc.get("boost", 1)])
        if doc["location"] == page:
            pages[page_of[page]] = [number, page, doc["title"], doc.get("boost", 1)]
    return pages, page_of


def shard(numbered_docs, page_of):
    """{strings, entries: [[number, page row, fragment, title string, text string]]}."""
    strings = {}
    entries = []
    for number, doc in numbered_docs:
        page, _, fragment = doc["location"].partition("#")
        entries.append([number, page_of[page], fragment,
                        strings.setdefault(doc["title"], len(strings)), strings.setdefault(doc["text"], len(strings))])
    return {"strings": list(strings), "entries": entries}


def vocabulary(docs):
    """Every word a section or page says it answers, longest first (ties in the index's order)."""
    words = {}
    for doc in docs:
        for pattern in ANSWER_WORDS:
            found = pattern.search(doc["text"])
            words.update(dict.fromkeys(word for word in spoken(found.group(1) if found else "").split("、") if word))
    return sorted(words, key=len, reverse=True)


def plain_text(html):
    text = ENTITY.sub(lambda match: ENTITIES[match.group(1)], TAG.sub(" ", html))
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip()


def spoken(text):
    folded = unicodedata.normalize("NFKC", text).lower()
    for said, written in SPOKEN:
        folded = folded.replace(said, written)
    return folded


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
