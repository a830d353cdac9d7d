"""What a reader sees, as sentences: from an HTML page (text nodes and the attributes a person reads) or a
PDF (poppler's pdftotext); and which of them are English.

A sentence is "English left in Spanish" when it is in the Spanish render, identical in the English render,
has three or more words and at least one English word that Spanish does not have ("the", "your", "with").
Names, numbers, dates, codes, e-mail addresses and units have none of those words; the few English terms
the clinic keeps in Spanish too (instrument names) are in ``KEPT_TERMS``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is not read: code, styles, and the parts of a page a browser does not show.
SKIPPED = {"script", "style", "noscript", "template", "svg", "code", "pre", "textarea"}
# Attributes a person reads (tooltips, alternative text, placeholders, labels for screen readers).
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# English words that are not Spanish words: one of them in a sentence identical in both renders marks it.
ENGLISH_WORDS = frozenset(
    """the and of to is are was were be been being your you yours for with without not this that these those
    on in at by has have had it its or from will can cannot may might an any all if we our us they their them
    there what when where which who whom whose how please do does did done here after before about into than
    then only more less should must would could each every yet still none next last new name status page
    date time day days week weeks month months year years today tomorrow yesterday see view open show hide
    save send sent back add edit delete remove change changed cancel book booked booking request requested
    confirm confirmed approve approved reject rejected review reviewed submit submitted upload uploaded
    download print sign signed start started end ended follow up down out over under again also because
    while until since ago just very much many most some such own same other another between through during
    nothing something anything everything nobody someone anyone everyone yes isn aren doesn don won can't
    isn't don't doesn't won't it's you're we're they're there's that's what's let's i'm i've you've
    patient patients clinician clinicians appointment appointments visit visits treatment report
    reports record records note notes result results plans dose doses
    injury level levels check checked form forms field fields required optional
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Terms that read the same in Spanish (instrument and classification names, kept as published).
KEPT_TERMS = (
    "ISNCSCI",  # International Standards for Neurological Classification of SCI: its published name
    "SCIM III",  # Spinal Cord Independence Measure, version III
    "SCI-SET",  # Spinal Cord Injury Spasticity Evaluation Tool
    "NBSS",  # Neurogenic Bowel Symptom Score
    "NBD",  # Neurogenic Bowel Dysfunction score
    "FHIR",  # HL7's standard, a name
)

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_SPACE = re.compile(r"\s+")
# E-mail addresses, links, paths, identifiers (snake_case, dotted) and codes with digits are not words.
NOT_WORDS = re.compile(r"\S+@\S+|\w+://\S+|/\S*|\b\w*_\w*\b|\b\w+\.\w+\b|\b[\w-]*\d[\w-]*\b")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.chunks: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SKIPPED or "hidden" in attributes or attributes.get("aria-hidden") == "true":
            if tag not in VOID:
                self.skip += 1
                self.stack.append(tag)
            return
        if tag not in VOID:
            self.stack.append("")
        if not self.skip:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self.chunks.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.chunks.append(attributes["value"])
        if tag == "br":
            self.chunks.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Close up to the matching element (HTML lets some end tags be left out).
        while self.stack:
            top = self.stack.pop()
            if top:
                self.skip -= 1
            if top == tag or not top:
                break

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def sentences(chunks) -> list[str]:
    out = []
    for chunk in chunks:
        for line in chunk.splitlines():
            line = _SPACE.sub(" ", line).strip()
            if line:
                out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def html_sentences(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return sentences(reader.chunks)


def pdf_sentences(text: str) -> list[str]:
    """pdftotext's lines, split into sentences; a line wrapped in a paragraph is joined with the next (which
    goes on in lower case), while a table's cells stay apart, so one translated cell does not hide another."""
    lines: list[str] = []
    for line in (_SPACE.sub(" ", raw).strip() for raw in text.split("\n")):
        if not line:
            continue
        if lines and (line[0].islower() or line[0] == "(") and not lines[-1].endswith((".", "!", "?", ":")):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return sentences(lines)


def words(sentence: str) -> list[str]:
    for term in KEPT_TERMS:
        sentence = sentence.replace(term, " ")
    return _WORD.findall(NOT_WORDS.sub(" ", sentence))


def looks_english(sentence: str) -> bool:
    found = words(sentence)
    if len(found) < 3:
        return False
    return any(w.lower().replace("’", "'") in ENGLISH_WORDS for w in found)


def english_left(spanish: list[str], english: list[str]) -> list[str]:
    """Sentences of the Spanish render that are English and identical in the English render, in order."""
    in_english = set(english)
    return list(dict.fromkeys(s for s in spanish if s in in_english and looks_english(s)))
