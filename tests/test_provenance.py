"""Whose words (issue 20): every statement of a county page, poster, share card, share text and calendar
says whether it is this notice's, a national or provincial document's, or the site's reading — over
every policy, never a list of which.

The rules, each a test below:
1. Every citation of a county page is written by the basis of a statement (fragments.cite, given the
   sources the statement rests on), and the parts those sources belong to are the policy's own. The page
   carries no mark of it: here each basis is marked (<yb-basis data-of="the parts cited">) in pages
   rendered for the test, which are the built pages once the marks are taken out.
2. A basis shows 「本站的理解」 exactly for the parts cited that carry `derived` or `interpretation`, linking
   to that reading in the page's list of readings, which holds its words; so no derived or interpreted
   value is shown with only a notice's citation.
3. A citation of this notice (「原文第N行」, notice.html) is a line of the notice's body cited by a part,
   never the archivist's header; a layer's (「国办发〔2024〕38号第N行」) opens that document's page
   beside the county page, at that line, and names the document; neither is ever passed off as the other.
4. Under 「本通知的规定」 stands no layer's rule; each layer's rules stand under its document's name.
5. Each window and the coverage year carrying a reading is never shown without it on the page.
6. Poster, share card and share text mark each figure resting on the site's reading 「本站的理解」 and
   each resting on a layer with its document; the calendar adds the reading's words to each event that
   rests on one, and never says 「过了今天就不能再缴」 of a day the notice does not state.
Then the sentences a template says only when this notice makes them true, the dates the county page
shows on the poster and card, the 断保 section, and the lists that stand for the notice's words.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from markupsafe import Markup

from build_scripts import calendar_ics, county_facts, county_sentences, fragments, pages, poster, provenance, share_card, zh_format
from calculator import policyfile

REPO_ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://ybmbz.example.cn/"
READING = "本站的理解"
HEADER_PREFIXES = ("source:", "说明：")
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed", "param", "track"}


# ---- the compiled policy, read here on its own (never through build_scripts.provenance) -----------------

def part_at(policy, key):
    """The part of `policy` a basis names: "windows/late" is the window with id late, "continuity/fixed/0"
    the first fixed part, "eligible/0" the first quoted sentence."""
    node = policy
    for step in key.split("/"):
        if isinstance(node, list):
            node = next((item for item in node if isinstance(item, dict) and item.get("id") == step), None) \
                or (node[int(step)] if step.isdigit() and int(step) < len(node) else None)
        elif isinstance(node, dict):
            node = node.get(step)
        if node is None:
            return None
    return node


def sources_of(part):
    return part["sources"] if isinstance(part.get("sources"), list) else [part]  # a quoted sentence is its own source


def reading_of(part):
    return [text for text in (part.get("derived"), part.get("interpretation")) if text]


def owners(policy):
    """{id(source object): part} over the whole compiled policy."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("sources"), list):
                for source in node["sources"]:
                    found[id(source)] = node
            for key, value in node.items():
                if key not in ("documents", "form", "vocabulary", "sources", "when"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(policy)
    return found


def parts_with_a_reading(policy):
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            if isinstance(node.get("sources"), list) and reading_of(node) and path:
                found.append(("/".join(path), node))
            for key, value in node.items():
                if key not in ("documents", "form", "vocabulary", "sources", "when"):
                    walk(value, path + [key])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, path + [str(item.get("id", index)) if isinstance(item, dict) else str(index)])
    walk(policy, [])
    return found


def layer_names(policy):
    return {document["id"]: document.get("number") or document.get("title") or document.get("issuer")
            for document in policy["documents"] if document["level"] != "county"}


def body_lines(policy):
    """The line numbers of the notice's body: the archivist's header lines are never cited."""
    text = (REPO_ROOT / "policies" / "notices" / policy["notice"]).read_text(encoding="utf-8").splitlines()
    header = next((index for index, line in enumerate(text) if line and not line.startswith(HEADER_PREFIXES)), len(text))
    return set(range(header + 1, len(text) + 1))


# ---- the county pages, each basis marked ----------------------------------------------------------------

BASIS = "yb-basis"
BASIS_MARK = re.compile(r'<%s data-of="[^"]*">|</%s>' % (BASIS, BASIS))


@pytest.fixture(scope="module")
def marked(policies, tmp_path_factory):
    """The county pages rendered with each statement's basis marked by the keys of the parts it cites, as
    build_scripts.provenance finds them: {policy id: the page from its <div class="county">}."""
    out = tmp_path_factory.mktemp("marked")
    unmarked = fragments.cite

    def marked_cite(policy, sources, readings=True):
        links = unmarked(policy, sources, readings)
        keys = " ".join(provenance.of(policy).owners(sources))
        return Markup('<%s data-of="%s">%s</%s>') % (BASIS, keys, links, BASIS) if links else links

    every = list(policies.values())
    related = pages.related_notices(every)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fragments, "cite", marked_cite)
        for policy in every:
            pages.write_site(pages.render_county(policy, pages.policies_dir(), SITE_URL, related), out)
    found = {}
    for policy_id in policies:
        page = next((out / "counties" / policy_id).glob("index.*")).read_text(encoding="utf-8")
        found[policy_id] = page[page.index('<div class="county">'):]
    return found


def county_div(page):
    """A county page's body: its <div class="county">, whitespace between lines as one newline."""
    start = page.index('<div class="county">')
    end = page.index("</div>", page.index('<p class="summary">', start)) + len("</div>")
    return re.sub(r"\n\s*", "\n", page[start:end])


def test_the_marked_pages_are_the_built_pages(site, policies, marked):
    for policy_id in policies:
        built = (site / "counties" / policy_id / "index.html").read_text(encoding="utf-8")
        assert "<%s " % BASIS in marked[policy_id], policy_id
        assert county_div(BASIS_MARK.sub("", marked[policy_id])) == county_div(built), policy_id


# ---- the page, as a tree --------------------------------------------------------------------------------

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Tree(HTMLParser):
    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.root = self.open = Node("root", {}, None)
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag):
        node = self.open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.open = node.parent

    def handle_data(self, data):
        self.open.children.append(data)


def county_body(marked, policy_id):
    return Tree(marked[policy_id]).root


CITATION = re.compile(r"\.html#L\d+$|^#reading-")


def citations(root):
    """The links to a line of a notice (this one's or a layer's) and to the site's readings."""
    return [node for node in root.walk() if node.tag == "a" and CITATION.search(node.attrs.get("href", ""))]


def is_reading(link):
    return link.attrs["href"].startswith("#reading-")


def is_layer(link):
    return not is_reading(link) and not link.attrs["href"].startswith("notice.html#")


def basis_of(node):
    return next((ancestor for ancestor in node.ancestors() if ancestor.tag == BASIS), None)


def bases(root):
    return [node for node in root.walk() if node.tag == BASIS]


@pytest.fixture(scope="module")
def facts_of(policies):
    return {policy_id: county_facts.facts(policy) for policy_id, policy in policies.items()}


# ---- 1–5: the county page -------------------------------------------------------------------------------

def test_every_citation_sits_in_a_basis_naming_parts_of_the_policy(marked, policies):
    for policy_id, policy in policies.items():
        root = county_body(marked, policy_id)
        loose = [link.attrs.get("href") for link in citations(root) if basis_of(link) is None]
        assert loose == [], (policy_id, loose)
        for basis in bases(root):
            keys = basis.attrs.get("data-of", "").split()
            assert keys, (policy_id, basis.text())
            assert [key for key in keys if part_at(policy, key) is None] == [], (policy_id, keys)


def test_a_reading_is_shown_exactly_where_a_part_cited_carries_one(marked, policies):
    """And it links to the list of readings, where the words of that reading stand."""
    shown = 0
    for policy_id, policy in policies.items():
        root = county_body(marked, policy_id)
        listed = {node.attrs["id"]: " ".join(node.text().split()) for node in root.walk() if node.tag == "li"
                  and node.attrs.get("id", "").startswith("reading-")}
        for basis in bases(root):
            if any(node.attrs.get("id", "").startswith("reading-") for node in basis.ancestors()):
                continue  # the list of readings: each entry is the reading itself
            keys = basis.attrs["data-of"].split()
            expected = {"#reading-" + key.replace("/", "-") for key in keys if reading_of(part_at(policy, key))}
            links = {link.attrs["href"] for link in citations(basis) if is_reading(link)}
            assert links == expected, (policy_id, keys, links)
            for href in links:
                anchor = href[1:]
                part = part_at(policy, next(key for key in keys if "#reading-" + key.replace("/", "-") == href))
                for words in reading_of(part):
                    assert " ".join(words.removeprefix(READING + "：").split()) in listed[anchor], (policy_id, anchor)
                shown += 1
    assert shown > len(policies)


def test_every_part_carrying_a_reading_is_in_the_list_of_readings(marked, policies):
    for policy_id, policy in policies.items():
        ids = {node.attrs.get("id") for node in county_body(marked, policy_id).walk()}
        for key, _ in parts_with_a_reading(policy):
            assert "reading-" + key.replace("/", "-") in ids, (policy_id, key)


def test_a_notice_line_and_a_layer_line_are_each_cited_as_what_they_are(marked, site, policies):
    for policy_id, policy in policies.items():
        root = county_body(marked, policy_id)
        body, layers = body_lines(policy), layer_names(policy)
        pages_of = {document["page"]: document["id"] for document in policy["documents"]}
        for link in citations(root):
            if is_reading(link):
                continue
            page, line = link.attrs["href"].split("#L")
            keys = basis_of(link).attrs["data-of"].split()
            cited = [source for key in keys for source in sources_of(part_at(policy, key))
                     if source.get("page", "notice.html") == page and source["line"] == int(line)]
            assert cited, (policy_id, link.attrs["href"], keys)
            text = link.text()
            if page == "notice.html":
                assert text.startswith("原文第"), (policy_id, text)
                assert int(line) in body, (policy_id, "cites the archivist's header", line)
            else:
                layer = pages_of[page]
                assert text.startswith(layers[layer] + "第"), (policy_id, text)
                target = site / "counties" / policy_id / page
                assert 'id="L%s"' % line in target.read_text(encoding="utf-8"), (policy_id, page, line)


def test_a_citation_toggle_folds_only_lines_of_this_notice_and_says_how_many(marked, policies):
    """「原文」 stands for two or more of this notice's lines of one statement: never a layer's line (which names
    its document) nor the site's reading; its label says how many lines it opens."""
    folded = 0
    for policy_id in policies:
        for toggle in [node for node in county_body(marked, policy_id).walk() if "cite-toggle" in node.classes]:
            siblings = [node for node in toggle.parent.children if isinstance(node, Node)]
            lines = siblings[siblings.index(toggle) + 1]
            links = citations(lines)
            assert lines.tag == "span" and len(links) >= 2, (policy_id, lines.text())
            assert all(link.attrs["href"].startswith("notice.html#L") for link in links), (policy_id, lines.text())
            assert toggle.attrs["aria-label"] == "看原文的%d处出处" % len(links), policy_id
            folded += 1
    assert folded > len(policies)


def section_nodes(root, section_id):
    """The nodes of a county page section: its <details> (sections fold under their heading), or what
    follows its <h2> up to the next; [] where the page has no such section."""
    heading = next((node for node in root.walk() if node.tag == "h2" and node.attrs.get("id") == section_id), None)
    if heading is None:
        return []
    folded = next((node for node in heading.ancestors() if node.tag == "details"), None)
    if folded is not None:
        return folded.children
    siblings = heading.parent.children
    nodes = []
    for node in siblings[siblings.index(heading) + 1:]:
        if isinstance(node, Node) and node.tag == "h2":
            break
        nodes.append(node)
    return nodes


def continuity_section(root):
    return section_nodes(root, "continuity")


def test_no_layer_rule_stands_under_this_notices_rules(marked, policies):
    checked = 0
    for policy_id, policy in [(i, p) for i, p in policies.items() if p.get("continuity")]:
        root = county_body(marked, policy_id)
        nodes = [node for node in continuity_section(root) if isinstance(node, Node)]
        for heading, rules in zip(nodes, nodes[1:]):
            if heading.tag != "p" or rules.tag != "ul" or "continuity-rules" not in rules.classes:
                continue
            link = next((node for node in heading.walk() if node.tag == "a"), None)
            document = next((d for d in policy["documents"] if link is not None and d["page"] == link.attrs["href"]), None)
            for basis in bases(rules):
                for key in basis.attrs["data-of"].split():
                    assert part_at(policy, key).get("document") == (document or {}).get("id"), (policy_id, heading.text(), key)
            if document is None:
                assert heading.text().startswith("本通知的规定"), policy_id
                assert not [link for link in citations(rules) if is_layer(link)], policy_id
            checked += 1
    assert checked


def block_of(node):
    for tag in ("li", "tr", "p"):
        found = next((ancestor for ancestor in [node, *node.ancestors()] if isinstance(ancestor, Node) and ancestor.tag == tag), None)
        if found is not None:
            return found
    return None


def test_a_window_or_coverage_year_read_by_the_site_never_shows_without_its_basis(marked, policies):
    for policy_id, policy in policies.items():
        root = county_body(marked, policy_id)
        parts = [("windows/" + window["id"], zh_format.window_dates(window), window) for window in policy["windows"]]
        parts.append(("coverage", zh_format.date_range(policy["coverage"]["start"], policy["coverage"]["end"]), policy["coverage"]))
        for key, words, part in parts:
            if not reading_of(part):
                continue
            alike = {other for other, other_words, _ in parts if other_words == words}  # 福山: the back-pay window is the coverage year
            blocks = {id(block): block for block in (block_of(node) for node in root.walk()
                                                        if any(isinstance(child, str) and words in child for child in node.children))
                      if block is not None}
            for block in blocks.values():
                keys = {k for basis in bases(block) for k in basis.attrs["data-of"].split()}
                assert keys & alike, (policy_id, key, " ".join(block.text().split())[:120])


def test_the_payment_period_says_when_its_first_or_last_day_is_the_sites_reading(policies):
    for policy_id, policy in policies.items():
        read = any(reading_of(window) for window in (policy["windows"][0], policy["windows"][-1]))
        assert (READING in zh_format.payment_period(policy)) == read, policy_id


# ---- 6: poster, share card and text, calendar ----------------------------------------------------------

def expected_marks(policy, sources):
    """（国办发〔2024〕38号）/（本站的理解）: what a plain text must say after a statement resting on `sources`."""
    parts, names = owners(policy), layer_names(policy)
    layer = {names[source["notice"]] for source in sources if "page" in source}
    reading = any(reading_of(parts[id(source)]) for source in sources if id(source) in parts)
    return layer, reading


def assert_marked(text, policy, sources, where):
    layer, reading = expected_marks(policy, sources)
    assert (READING in text) == reading, (policy["id"], where, text)
    for name in layer:
        assert name in text, (policy["id"], where, name, text)


def poster_tree(policy, facts):
    markup = poster.render_poster(pages.environment(), policy, facts, publicity_url(policy))
    return Tree(markup).root


def publicity_url(policy):
    return SITE_URL + pages.county_url(policy)


def test_the_poster_marks_each_figure_by_whose_words_it_is(policies, facts_of):
    for policy_id, policy in policies.items():
        facts = facts_of[policy_id]
        root = poster_tree(policy, facts)
        rows = [node for node in root.walk() if node.tag == "tr"]
        facts_of_poster = poster.poster_facts(policy, facts)
        for row in facts_of_poster["price_rows"]:
            tr = next(tr for tr in rows if tr.text().startswith(row["category"]))
            assert_marked(tr.text(), policy, row["sources"], row["category"])
        for row in facts_of_poster["group_rows"]:
            tr = next(tr for tr in rows if tr.text().startswith(row["who"][0]))
            assert_marked(tr.text(), policy, row["sources"], row["who"][0])
        header = next(node for node in root.walk() if "poster-basis" in node.classes)
        assert_marked(header.text().split(" · ")[0], policy, policy["coverage"]["sources"], "coverage")
        deadline = next(node for node in root.walk() if "poster-deadline" in node.classes)
        first = policy["windows"][0]
        assert_marked(deadline.text(), policy, first["sources"] + first.get("monthly", {}).get("sources", []), "deadline")
        items = [node for node in root.walk() if node.tag == "li"]
        for item in facts["timeline"][1:]:
            li = next(li for li in items if li.text().startswith(zh_format.window_dates(item["window"])))
            assert_marked(li.text(), policy, item["window"]["sources"] + item["sources"], item["window"]["id"])
        for example in facts_of_poster["missed_years"]:
            said = "连续%d年没参保%s，" % (example["missed"], "、这次补缴其中%d年" % example["repaired"] if example["repaired"] else "")
            li = next(li for li in items if li.text().startswith(said))
            assert_marked(li.text(), policy, (example["waiting"] or {}).get("sources", []), "missed years")


def test_share_text_and_card_mark_each_figure_by_whose_words_it_is(policies, facts_of):
    for policy_id, policy in policies.items():
        facts = facts_of[policy_id]
        figures = dict(share_card.key_figures(policy, facts))
        first = facts["price_windows"][0]
        window = first["window"]
        assert_marked(figures["缴费时间"], policy, window["sources"] + window.get("monthly", {}).get("sources", []), "缴费时间")
        if first["rows"]:
            rows = first["rows"][:share_card.MAX_PRICE_ROWS]
            assert_marked(figures["每人缴"], policy, [source for row in rows for source in row["sources"]], "每人缴")
        if "财政另补" in figures:
            assert_marked(figures["财政另补"], policy, facts["fiscal"].get("sources", []), "财政另补")
        description = share_card.share_meta(policy, facts, county_sentences.place_name(policy))["description"]
        assert (READING in description) == any(READING in text for text in figures.values()), policy_id


def test_each_calendar_event_resting_on_a_reading_says_it(policies, facts_of):
    for policy_id, policy in policies.items():
        facts = facts_of[policy_id]
        events = calendar_ics.window_events(policy, facts) + calendar_ics.change_events(policy) + calendar_ics.closing_events(policy)
        parts = owners(policy)
        for event in events:
            component = calendar_ics.as_ical(event, policy, publicity_url(policy), county_sentences.build_time())
            description = str(component["description"])
            read = [parts[id(source)] for source in event["sources"] if id(source) in parts and reading_of(parts[id(source)])]
            assert (READING in description) == bool(read), (policy_id, event["uid"])
            for part in read:
                for words in reading_of(part):
                    assert words.removeprefix(READING + "：") in description, (policy_id, event["uid"])


def test_the_calendar_says_no_payment_is_taken_after_a_day_only_where_the_notice_says_so(policies, facts_of):
    for policy_id, policy in policies.items():
        text = calendar_ics.render_calendar(policy, facts_of[policy_id], publicity_url(policy))
        unfolded = icalendar.Calendar.from_ical(text)
        said = [str(event["description"]) for event in unfolded.walk("VEVENT") if "过了今天就不能再缴" in str(event["description"])]
        last = policy["windows"][-1]
        stated = isinstance(last["to"], str) and not reading_of(last)
        assert len(said) == (1 if stated else 0), policy_id


# ---- sentences only where this notice makes them true ----------------------------------------------------

def section_text(marked, policy_id, section_id):
    nodes = section_nodes(county_body(marked, policy_id), section_id)
    return " ".join("".join(node if isinstance(node, str) else node.text() for node in nodes).split())


def later_answers(policy):
    """(first, [later]): an ordinary adult's answer paying in the first window (its first day they may pay)
    and a few days into each later window in which payments are taken — from the core, here."""
    adult = county_facts.typical_people(policy)[0][1]
    first_window = policy["windows"][0]
    days = county_facts.open_days(policy, first_window)
    first = next(result for result in (county_facts.quote_person(policy, adult, day) for day in days) if result["accepted"])
    later = [county_facts.quote_person(policy, adult, county_facts.a_few_days_into(policy, window))
             for window in policy["windows"][1:] if not window.get("closed")]
    return first, later


def test_paying_late_costs_more_is_said_only_where_it_does(marked, policies, facts_of):
    """「要缴的钱不一样」 never where late payers pay the same (潍坊: the personal part only)."""
    for policy_id, policy in policies.items():
        first, later = later_answers(policy)
        costs_more = any(result["accepted"] and not zh_format.is_unstated(result["pays"]) and str(result["pays"]) != str(first["pays"])
                         for result in later)
        waits = any(result["accepted"] and result.get("waiting_days") for result in later)
        late = section_text(marked, policy_id, "late")
        poster_text = poster_tree(policy, facts_of[policy_id]).text()
        for text in (late, poster_text):
            assert ("要缴的钱不一样" in text) == costs_more, policy_id
            assert "多缴钱" not in text, policy_id
        assert ("“等待期”是指" in late) == waits, policy_id


def test_exceptions_are_named_only_where_the_rules_have_them(marked, policies):
    """No 「职工医保转入」 exception where the notice has none (潍坊): the kinds of people the introductions
    of 每条参保规则 and 错过了 name are those the notice's rules set apart."""
    for policy_id, policy in policies.items():
        keys = {key for rule in policy["rules"] for _, key, _ in policyfile.walk(rule.get("when") or {})}
        rules = re.search(r"本通知的参保规则(.*?)每条后面", section_text(marked, policy_id, "rules")).group(1)
        late = re.search(r"通知对(.*?)另有规定", section_text(marked, policy_id, "late"))
        for key, said in county_facts.EXCEPTION_WORDS:
            assert (said in rules) == (key in keys), (policy_id, key, rules)
            assert (late is not None and said in late.group(1)) == (key in keys and bool(county_facts.late_examples(policy))), (policy_id, key)


def test_special_groups_the_notice_does_not_name_are_labelled_as_the_sites_reading(marked, policies):
    """潍坊 says only 「低收入困难群众」: 特困人员、低保对象 … are the site's reading, never 「本通知写到的」."""
    for policy_id, policy in policies.items():
        text = section_text(marked, policy_id, "groups")
        named = re.search(r"本通知写到的特殊人群：([^。]*)。", text)
        names = [name for name in sorted(set(policy["vocabulary"].values()), key=len, reverse=True)
                 if named and re.search(r"(^|、)%s(、|$)" % re.escape(name), named.group(1))]
        for name in names:
            subsidies = [subsidy for subsidy in policy["subsidies"]
                         if any(key == "groups_any" and name in [policy["vocabulary"][g] for g in value]
                                for _, key, value in policyfile.walk(subsidy.get("when") or {}))]
            assert any(not reading_of(subsidy) or name in "".join(s["quote"] for s in subsidy["sources"]) for subsidy in subsidies), \
                (policy_id, name)
        for subsidy in policy["subsidies"]:
            said = "".join(source["quote"] for source in subsidy["sources"])
            for _, key, value in policyfile.walk(subsidy.get("when") or {}):
                for group in (value if key == "groups_any" else []):
                    name = policy["vocabulary"][group]
                    if reading_of(subsidy) and name not in said and name not in names:
                        assert "本站理解为" in text and name in text, (policy_id, name)


def test_only_one_window_is_said_to_close_only_where_the_notice_says_when(policies, facts_of):
    for policy_id, policy in policies.items():
        text = poster_tree(policy, facts_of[policy_id]).text()
        if "过了就不能缴费" in text:
            window = policy["windows"][0]
            assert len(policy["windows"]) == 1 and isinstance(window["to"], str) and not reading_of(window), policy_id


def test_sentences_written_once_for_every_notice_are_gone(marked, policies):
    for policy_id in policies:
        page = " ".join(county_body(marked, policy_id).text().split())
        for sentence in ("过了这一年要重新缴下一年的", "附加保险是自愿的", "先看例外（新生儿、学生、职工医保转入、困难人员等）",
                         "不能参保，或要特别注意的", "按通知的顺序"):
            assert sentence not in page, (policy_id, sentence)


# ---- the county page's dates on the poster and card; labels whole ---------------------------------------

def test_poster_and_card_show_each_later_start_the_county_page_shows(policies, facts_of):
    """福山's adults may pay only from 10月1日: the poster's table and the card say so, in the page's words."""
    shown = 0
    for policy_id, policy in policies.items():
        facts = facts_of[policy_id]
        poster_text = poster_tree(policy, facts).text()
        card = dict(share_card.key_figures(policy, facts))
        for row in facts["price_windows"][0]["rows"]:
            if row["late_start"]:
                words = "%s（%s起可以缴）" % (zh_format.yuan(row["pays"]), zh_format.month_day(row["paid_on"]))
                assert words in poster_text and words in card["每人缴"], (policy_id, words)
                shown += 1
    assert shown


# ---- the 断保 section -------------------------------------------------------------------------------

def test_the_break_section_says_everything_a_break_costs_with_its_basis(marked, policies):
    """The fixed and variable waits, repair, the floor, the exemptions, and the rewards and costs of
    benefit_rewards (a lower 大病保险 ceiling, the count of continuous years restarting), each cited."""
    for policy_id, policy in [(i, p) for i, p in policies.items() if p.get("continuity")]:
        root = county_body(marked, policy_id)
        nodes = continuity_section(root)
        text = " ".join("".join(node if isinstance(node, str) else node.text() for node in nodes).split())
        cited = {(link.attrs["href"]) for node in nodes if isinstance(node, Node) for link in citations(node)}
        continuity = policy["continuity"]
        parts = continuity.get("fixed", []) + [continuity[key] for key in ("variable", "repair", "floor") if key in continuity]
        parts += continuity.get("exemptions", []) + policy["benefit_rewards"]
        for part in parts:
            if "label" in part:
                assert part["label"] in text, (policy_id, part["label"])
            for source in part.get("sources", []):
                assert "%s#L%d" % (source.get("page", "notice.html"), source["line"]) in cited, (policy_id, source["quote"])
        for reward in policy["benefit_rewards"]:
            figures = reward.get("figures")
            assert (figures if isinstance(figures, str) else (figures or {}).get("unknown", "未写明")) in text, (policy_id, reward["id"])


# ---- lists that stand for the notice's words -----------------------------------------------------------

def test_not_eligible_never_holds_a_group_the_notice_lets_enrol(policies):
    """潍坊's 「未参加职工基本医疗保险的城乡居民」 is who may enrol, not who may not."""
    for policy_id, policy in policies.items():
        for item in policy["not_eligible"]:
            enrolling = [e["line"] for e in policy["eligible"] if item["quote"] in e["quote"]]
            assert not (item["quote"].endswith("居民") and enrolling), (policy_id, item["quote"])


def test_the_poster_and_page_call_not_eligible_what_it_is(marked, policies, facts_of):
    for policy_id, policy in policies.items():
        if policy["not_eligible"]:
            assert "通知写明的例外（原文照录）" in section_text(marked, policy_id, "who"), policy_id
            assert "例外：" in poster_tree(policy, facts_of[policy_id]).text(), policy_id
