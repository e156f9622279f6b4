"""`parse(path) -> Document`: read → clean → segment → outline → extract, in that order."""
from __future__ import annotations

import os
from pathlib import Path


from . import patterns as P
from .clean import clean, nfkc, squeeze
from .deadlines import deadlines_in_text, normalise_deadline
from .errors import NothingExtracted
from .extract import (classify_reference, dedupe_refs, dedupe_units, find_rules, prose_units, references_in,
                      resolve_aliases, unbracketed_references, units_in_paragraph)
from .models import Document, Flag, Node, Paragraph, RawDocument, Reference, Unit
from .outline import OutlineResult, assign_paths, build_outline
from .limits import Limits, using
from .printed import restore_printed, simplified_copy
from .read import read
from .resolve import resolve_document
from .segment import (Regions, doc_type_of, fold_digits, is_titleish, looks_like_org, parse_date, parse_doc_number, segment,
                      signer_names, split_list, standalone_date)
from .tables import task_table_nodes


def document_key(path: str | Path) -> str:
    """The file name without its last extension (govcn-1.page.html → govcn-1.page)."""
    name = os.path.basename(path)
    return name.rsplit(".", 1)[0] if "." in name else name


def parse(path: str | Path, limits: Limits | None = None) -> Document:
    """Parse one notice. `limits` (see fzparse.limits) bounds what one input may cost."""
    path = Path(path)
    with using(limits):
        raw = read(path)
        return parse_raw(raw, document_key(path))


def parse_raw(raw: RawDocument, key: str) -> Document:
    paras, removed = clean(raw)
    printed, simplified = paras, simplified_copy(paras)
    if simplified is not None:
        paras = simplified          # matched in simplified characters, given back as printed below
    doc = Document(key=key, source_path=str(raw.path), format=raw.format, page_metadata=dict(raw.page_metadata),
                   removed=removed, paragraphs=paras, encoding=raw.encoding, pages=raw.pages)
    doc.flags.extend(Flag(code, message) for code, message in raw.warnings)
    if not any(p.text.strip() for p in paras):
        raise NothingExtracted(raw.path, "every line was page furniture")
    regions = segment(paras)
    fill_elements(doc, paras, regions, raw)
    fill_outline(doc, paras, regions)
    decide_gongwen(doc, regions)
    cross_check(doc)
    if simplified is not None:
        restore_printed(doc, printed, simplified)
    resolve_document(doc)
    if not doc.is_gongwen and not doc.outline and not any(p.text for p in paras):
        raise NothingExtracted(raw.path)
    return doc


# ----------------------------------------------------------------------------- elements

def fill_elements(doc: Document, paras: list[Paragraph], r: Regions, raw: RawDocument) -> None:
    texts = [p.text for p in paras]
    if r.doc_number is not None:
        text = texts[r.doc_number]
        if text.endswith("令") and r.doc_number + 1 < len(texts) and P.ORDER_SERIAL_LINE.fullmatch(texts[r.doc_number + 1]):
            text = text + texts[r.doc_number + 1]
        dn = parse_doc_number(text)
        if dn:
            dn.evidence = paras[r.doc_number].evidence()
            doc.doc_number = dn
            doc.evidence["doc_number"] = dn.evidence
        sm = P.SIGNATORY.search(texts[r.doc_number])
        if sm:
            doc.signatory = squeeze(sm["name"])
    for i in r.bantou:
        t = texts[i]
        if P.CLASSIFICATION.match(t):
            doc.classification = t
        elif P.URGENCY.match(t):
            doc.urgency = t
    if r.title:
        title = "".join(texts[i] for i in r.title)
        doc.title = squeeze(title) if _cjk_only(title) else title
        doc.evidence["title"] = paras[r.title[0]].evidence()
    elif raw.page_heading:
        doc.title = strip_repost(raw.page_heading)
        doc.flags.append(Flag("title-from-page", "the body prints no title; the page heading was used"))
    elif raw.page_metadata.get("标题") or raw.page_metadata.get("名称"):
        doc.title = strip_repost(raw.page_metadata.get("标题") or raw.page_metadata["名称"])
        doc.flags.append(Flag("title-from-metadata", "the body prints no title; the page metadata was used"))
    if doc.title is None and r.enclosed_title is not None and doc.doc_number and doc.doc_number.year is None:
        # an order (国务院令第N号) publishes a regulation: its title is the regulation's
        doc.title = texts[r.enclosed_title]
        doc.evidence["title"] = paras[r.enclosed_title].evidence()
    doc.doc_type = doc_type_of(doc.title)
    if r.recipients is not None:
        line = texts[r.recipients].rstrip("：:")
        doc.recipients = split_list(line)
        doc.evidence["recipients"] = paras[r.recipients].evidence()
    if r.date is not None:
        iso, before = standalone_date(texts[r.date])
        doc.date = iso
        found = parse_date(texts[r.date])
        doc.date_printed = texts[r.date][found[1]:found[2]] if found else None
        doc.evidence["date"] = paras[r.date].evidence()
        names: list[str] = []
        for i in r.signers:
            names += signer_names(texts[i]) or [texts[i].strip()]
        if before:
            names += signer_names(before) or [before]
        doc.signers = names
    # issuer: 署名 first (it names every joint issuer), then 版头, then the title's own prefix
    orgs = [s for s in doc.signers if looks_like_org(s)]
    bantou = [P.BANTOU.match(texts[i])["issuer"] for i in r.bantou if P.BANTOU.match(texts[i])]
    if orgs:
        doc.issuers = orgs
    elif bantou:
        doc.issuers = [x for b in bantou for x in b.split() if x]
    elif doc.doc_number and doc.doc_number.year is None and doc.doc_number.agency_code:
        # 中华人民共和国国务院令 → 国务院
        who = doc.doc_number.agency_code.removeprefix("中华人民共和国").removesuffix("令")
        doc.issuers = [who] if who else []
    elif doc.title and title_issuers(doc.title):
        doc.issuers = title_issuers(doc.title)
    elif raw.page_metadata.get("发文机关"):
        doc.issuers = [raw.page_metadata["发文机关"]]
        doc.flags.append(Flag("issuer-from-metadata", "no 署名, 版头 or issuer in the title; the page metadata was used"))
    doc.issuer = "、".join(doc.issuers) or None
    if r.cc is not None:
        doc.cc = split_list(P.CC_LINE.match(texts[r.cc])["rest"].rstrip("。"), "，,、；;")
    if r.printed is not None:
        m = P.PRINTED_LINE.match(fold_digits(texts[r.printed]))
        doc.printed_by = m["by"].strip()
        found = parse_date(m["date"])
        doc.printed_date = found[0] if found else None
    doc.attachments = [item for item in (attachment_item(texts[i]) for i in r.attachment_list) if item]
    if r.enclosed_title is not None:
        doc.enclosed_title = texts[r.enclosed_title]
    if r.covering:
        doc.covering_text = "\n".join(texts[i] for i in r.covering if i not in set(r.attachment_list)) or None


def _cjk_only(text: str) -> bool:
    return not P.SPACED_LATIN.search(text)


def strip_repost(title: str) -> str:
    return P.REPRINT_MARK.sub("", title.strip())


def title_issuers(title: str) -> list[str]:
    """The issuer(s) a title starts with: 国务院办公厅、中央军委办公厅关于… → both."""
    m = P.TITLE_ISSUER_LEAD.match(title)
    if not m:
        return []
    parts = [x for x in P.LIST_OR_SPACE.split(m["who"]) if x]
    if parts and all(looks_like_org(x) for x in parts):
        return parts
    return []


# ----------------------------------------------------------------------------- outline and extraction

def fill_outline(doc: Document, paras: list[Paragraph], r: Regions) -> None:
    res = build_outline(paras, r.outline)
    assign_paths(res.roots, doc.key)
    # a further attachment that is a plan of its own (附件2 / its title / its headings): its nodes
    # at the top level after the first plan's, numbered as printed, ids KEY#A2:1.1
    plans = [(number, build_outline(paras, body)) for number, body in r.plans]
    for number, plan in plans:
        assign_paths(plan.roots, doc.key, id_prefix=f"A{number}:")
    rules = find_rules(paras)
    year = document_year(doc)
    flags: list[Flag] = []
    node_of = dict(res.node_of)
    for result in [res] + [plan for _, plan in plans]:
        _fill_nodes(result, paras, rules, flags, year)
        node_of.update(result.node_of)
    doc.outline = res.roots + [root for _, plan in plans for root in plan.roots]
    task_tables = attach_task_tables(doc, paras, r, node_of, flags, year)
    doc.flags.extend(flags)
    in_plans = set(node_of) - set(res.node_of)
    outside = set(res.before) | set(res.after) | set(r.title) | ({i for s in r.attachments for i in s} - in_plans)
    if r.enclosed_title is not None:
        outside |= set(r.covering) | {r.enclosed_title}
    doc.references = dedupe_refs(outside_references(paras, sorted(outside - task_tables), r.attachment_list))
    type_references(doc, paras)
    if res.before:
        doc.preamble = "\n".join(paras[i].text for i in res.before if paras[i].table is None) or None
    if res.after:
        doc.closing = "\n".join(paras[i].text for i in res.after) or None


def _fill_nodes(res: OutlineResult, paras: list[Paragraph], rules, flags: list[Flag], year: int | None) -> None:
    """Every node's text, units, references and deadline, from the paragraphs it owns."""
    standing: list[tuple[str, Node]] = []
    for node in (n for root in res.roots for n in root.walk()):
        idx = res.own_paragraphs.get(id(node), [])
        node.text = "\n".join(paras[i].text for i in idx)
        units: list[Unit] = []
        refs = []
        for i in idx:
            p = paras[i]
            if p.table is not None:
                continue
            found = units_in_paragraph(p, rules, flags)
            units.extend(found.units)
            standing.extend((name, node) for name in found.standing)
            if found.deadlines and node.deadline is None:
                node.deadline = found.deadlines[0]
                node.deadline_date = normalise_deadline(node.deadline, year)
            refs.extend(references_in(p))
            refs.extend(unbracketed_references(p))
        if not units:
            # prose is read only where the document assigns the task nowhere explicitly
            for i in idx:
                if paras[i].table is None:
                    units.extend(prose_units(paras[i]))
        node.units = dedupe_units(units)
        node.references = dedupe_refs(refs)
        if node.deadline is None and node.units:
            found = deadlines_in_text(node.text, year)
            if found:
                node.deadline, node.deadline_date = found[0]
    _apply_standing_notes(res.roots, standing)


def attach_task_tables(doc: Document, paras: list[Paragraph], r: Regions, node_of: dict[int, Node],
                       flags: list[Flag], year: int | None = None) -> set[int]:
    """Task tables in the outline region (under the node that holds them) or in an attachment
    section (at the top level) become nodes; returns the paragraphs that were task tables."""
    candidates = [i for i in r.outline if paras[i].table is not None]
    candidates += [i for section in r.attachments for i in section if paras[i].table is not None]
    done: set[int] = set()
    for i in candidates:
        holder = node_of.get(i)
        nodes = task_table_nodes(paras[i], doc.key, len(done), flags, holder.path if holder else (), year)
        if nodes:
            done.add(i)
            (holder.children if holder is not None else doc.outline).extend(nodes)
    return done


def outside_references(paras: list[Paragraph], indexes: list[int], attachment_list: list[int]) -> list[Reference]:
    """References outside every node (path []): covering text, preamble, closing, attachments —
    and an attachment named in the 附件说明 that is itself a rule or plan (附件：XX制度)."""
    refs: list[Reference] = []
    for i in indexes:
        refs.extend(references_in(paras[i]))
        if paras[i].table is None:
            refs.extend(unbracketed_references(paras[i]))
    for i in attachment_list:
        item = attachment_item(paras[i].text)
        if item and P.DOCUMENT_TITLE_END.search(item) and is_titleish(item):
            start = max(0, paras[i].text.find(item))
            refs.append(Reference(title=item, bracketed=False, method="pattern", confidence=0.8,
                                  evidence=paras[i].evidence(start, start + len(item))))
    return refs


def attachment_item(text: str) -> str:
    """附件：1.某某制度 / 2.某某表 → the attachment's name."""
    m = P.ATTACHMENT_NOTE.match(text)
    item = (m["rest"] if m else text).strip()
    return P.ITEM_NUMBER.sub("", item)


def document_year(doc: Document) -> int | None:
    """The year a plan is for: the one its title names (2021年全市…工作要点), else its number's, else its date's."""
    for text in (doc.enclosed_title, doc.title):
        m = P.YEAR_IN_TEXT.search(fold_digits(text or ""))
        if m:
            return int(m.group(1))
    if doc.doc_number and doc.doc_number.year:
        return doc.doc_number.year
    return int(doc.date[:4]) if doc.date else None


def type_references(doc: Document, paras: list[Paragraph]) -> None:
    """Kinds and levels, aliases (以下简称《意见》) and self-references, over every reference."""
    all_refs = list(doc.references) + [r for n in doc.nodes() for r in n.references]
    by_paragraph: dict[int, list[Reference]] = {}
    for ref in all_refs:
        if ref.evidence is not None:
            by_paragraph.setdefault(ref.evidence.paragraph, []).append(ref)
    for refs in by_paragraph.values():
        refs.sort(key=lambda x: x.evidence.start)
    resolve_aliases(paras, by_paragraph)
    own = {nfkc(t) for t in (doc.enclosed_title, doc.title) if t}
    for ref in all_refs:
        if ref.full_title is None and P.BARE_DOCUMENT_KIND.match(squeeze(ref.title)):
            # 《意见》 that no 以下简称 defines: kept as printed, its kind not guessed, and flagged
            ref.confidence = min(ref.confidence, 0.5)
            doc.flags.append(Flag("unresolved-short-title",
                                  f"《{ref.title}》 names only a kind of document and the notice does not say which "
                                  "(no 以下简称 defines it)", ref.evidence))
            continue
        classify_reference(ref)
        if nfkc(ref.full_title or ref.title) in own:
            ref.self_reference = True


def _apply_standing_notes(roots: list[Node], standing: list[tuple[str, Node]]) -> None:
    """以下均需X落实，不再列出: X is responsible (from prose) in every later node of the same level."""
    if not standing:
        return
    parents: dict[int, list[Node]] = {}

    def index(nodes: list[Node]) -> None:
        for n in nodes:
            parents[id(n)] = nodes
            index(n.children)
    index(roots)
    for name, node in standing:
        siblings = parents.get(id(node), [])
        if node not in siblings:
            continue
        for later in siblings[siblings.index(node) + 1:]:
            for target in later.walk():
                if target is later and not any(u.name == name for u in target.units):
                    target.units.append(Unit(name=name, role="responsible", explicit=False, method="note",
                                             collective=False, flags=["from-standing-note"]))


def decide_gongwen(doc: Document, r: Regions) -> None:
    """A document with none of a notice's own elements is no 公文: report it, invent nothing."""
    signs = [doc.doc_number is not None, bool(doc.recipients), doc.doc_type is not None,
             doc.date is not None and bool(doc.signers)]
    if any(signs):
        return
    doc.is_gongwen = False
    doc.not_gongwen_reason = "no 发文字号, 主送, 文种 in a title, or 署名 with 成文日期 was found"
    doc.issuer, doc.issuers, doc.title, doc.date, doc.signers = None, [], None, None, []
    doc.flags.append(Flag("not-gongwen", doc.not_gongwen_reason))


def cross_check(doc: Document) -> None:
    """Disagreements between the document and its page's metadata, and inner inconsistencies."""
    meta = doc.page_metadata
    number = meta.get("发文字号") or meta.get("文号")
    if number and doc.doc_number and nfkc(squeeze(number)).translate(BRACKETS) != \
            nfkc(doc.doc_number.text).translate(BRACKETS):
        doc.flags.append(Flag("metadata-disagrees", f"page metadata 发文字号 {number} ≠ printed {doc.doc_number.text}"))
    date = meta.get("成文日期")
    if date and doc.date:
        found = parse_date(date)
        if found and found[0] != doc.date:
            doc.flags.append(Flag("metadata-disagrees", f"page metadata 成文日期 {date} ≠ printed {doc.date}"))
    if doc.doc_number and doc.doc_number.year and doc.date and int(doc.date[:4]) < doc.doc_number.year:
        doc.flags.append(Flag("date-before-number-year",
                              f"成文日期 {doc.date} is earlier than the number's year {doc.doc_number.year}: kept as printed"))


BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕"})
