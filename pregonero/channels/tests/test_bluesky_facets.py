"""Bluesky facets on UTF-8 byte offsets: examples from Bluesky's documentation and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pregonero.channels.connectors.bluesky.facets import Span, build_facets, find_spans

# Text without anything that starts a link, a mention or a tag.
plain = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="#＃@:/"), max_size=40
)


def _slice(text: str, span: Span) -> str:
    return text.encode("utf-8")[span.start : span.end].decode("utf-8")


def test_the_documentations_example_with_an_emoji_before_the_link():
    text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR."
    spans = find_spans(text)
    assert [(s.kind, s.value) for s in spans] == [
        ("mention", "atproto.com"),
        ("link", "https://en.wikipedia.org/wiki/CBOR"),
    ]
    assert (spans[0].start, spans[0].end) == (23, 35)
    assert (spans[1].start, spans[1].end) == (74, 108)


def test_accents_move_the_offsets_of_a_tag():
    text = "Inscripció oberta #FestaMajor2026 a l'Ajuntament!"
    [span] = find_spans(text)
    assert (span.kind, span.value) == ("tag", "FestaMajor2026")
    assert span.start == len("Inscripció oberta ".encode()) == 19
    assert _slice(text, span) == "#FestaMajor2026"


def test_a_number_alone_is_not_a_tag_and_trailing_punctuation_is_dropped():
    spans = find_spans("Cita #1 i #València, avui. Més a (https://vilanova.example/agenda).")
    assert [(s.kind, s.value) for s in spans] == [
        ("tag", "València"),
        ("link", "https://vilanova.example/agenda"),
    ]


def test_an_email_address_is_not_a_mention_and_a_link_keeps_its_anchor():
    spans = find_spans("Escriviu a info@vilanova.example o mireu https://vilanova.example/a#b")
    assert [(s.kind, s.value) for s in spans] == [("link", "https://vilanova.example/a#b")]


def test_facets_mention_by_did_and_drop_unknown_handles():
    spans = find_spans("Hola @ajuntament.bsky.social i @ningu.example #bon_dia")
    facets = build_facets(spans, {"ajuntament.bsky.social": "did:plc:abc123"})
    assert [f["features"][0] for f in facets] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:abc123"},
        {"$type": "app.bsky.richtext.facet#tag", "tag": "bon_dia"},
    ]
    assert facets[0]["index"] == {"byteStart": 5, "byteEnd": 28}


@given(st.text(max_size=200))
def test_every_span_is_a_valid_byte_range_of_what_it_names(text):
    spans = find_spans(text)
    size = len(text.encode("utf-8"))
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= size
        previous_end = span.end
        piece = _slice(text, span)
        if span.kind == "link":
            assert piece == span.value
        elif span.kind == "mention":
            assert piece.lower() == f"@{span.value}"
        else:
            assert piece[0] in "#＃" and piece[1:] == span.value


@given(plain, plain, st.sampled_from(["https://vilanova.example/avis?id=3", "http://a.es/x_y"]))
def test_a_link_after_any_text_starts_at_that_texts_byte_length(before, after, url):
    text = f"{before} {url} {after}"
    links = [s for s in find_spans(text) if s.kind == "link"]
    assert [(s.start, s.value) for s in links] == [(len(f"{before} ".encode()), url)]


@given(plain, st.from_regex(r"[A-Za-zÀ-ÿ]{1,20}", fullmatch=True))
def test_a_tag_after_any_text_is_found_at_its_byte_offset(before, tag):
    text = f"{before} #{tag}"
    tags = [s for s in find_spans(text) if s.kind == "tag"]
    assert [(s.start, s.end, s.value) for s in tags] == [
        (len(f"{before} ".encode()), len(text.encode()), tag)
    ]
