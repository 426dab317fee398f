"""Matrix events shaped as the client-server specification shows them (m.room.message
msgtypes, rich replies, threads, edits, redactions)."""

OWN = "@ajuntament:matrix.vilanova.example"
ROOM = "!GCHXHszbXQgDlLtonR:matrix.vilanova.example"


def event(
    event_id, content, *, sender="@marta:matrix.org", type_="m.room.message", ts=1763633730000, **extra
):
    return {
        "content": content,
        "event_id": event_id,
        "origin_server_ts": ts,
        "room_id": ROOM,
        "sender": sender,
        "type": type_,
        "unsigned": {"age": 1234},
        **extra,
    }


REPLY = event(
    "$reply1",
    {
        "msgtype": "m.text",
        "body": (
            "> <@ajuntament:matrix.vilanova.example> Obrim la piscina dissabte.\n> Segona línia\n\n"
            "A quina hora? 🏊"
        ),
        "format": "org.matrix.custom.html",
        "formatted_body": "<mx-reply>…</mx-reply>A quina hora? 🏊",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$ours"}},
    },
)
THREAD = event(
    "$thread1",
    {
        "msgtype": "m.text",
        "body": "Молодці!",
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": "$ours",
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": "$ours"},
        },
    },
    ts=1763633731000,
)
EDIT = event(
    "$edit1",
    {
        "msgtype": "m.text",
        "body": "* A quina hora obre?",
        "m.new_content": {"msgtype": "m.text", "body": "A quina hora obre?"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$reply1"},
    },
    ts=1763633732000,
)
IMAGE = event(
    "$image1",
    {
        "msgtype": "m.image",
        "body": "Fanal trencat al carrer Major",
        "filename": "IMG_2031.jpg",
        "url": "mxc://matrix.org/SEsfnsuifSDFSSEF",
        "info": {"mimetype": "image/jpeg", "size": 31037, "w": 394, "h": 398},
    },
    ts=1763633733000,
)
FILE_NO_CAPTION = event(
    "$file1",
    {
        "msgtype": "m.file",
        "body": "queixa.pdf",
        "url": "mxc://matrix.org/abc",
        "info": {"mimetype": "application/pdf"},
    },
    ts=1763633734000,
)
REDACTION_V11 = event(
    "$red1", {"redacts": "$thread1", "reason": "spam"}, type_="m.room.redaction", ts=1763633735000
)
REDACTION_OLD = event("$red2", {}, type_="m.room.redaction", redacts="$image1", ts=1763633736000)
REDACTED = event("$gone", {}, ts=1763633737000, unsigned={"redacted_because": {"type": "m.room.redaction"}})
OURS = event(
    "$ours", {"msgtype": "m.text", "body": "Obrim la piscina dissabte."}, sender=OWN, ts=1763633729000
)
MEMBER = event("$join", {"membership": "join"}, type_="m.room.member", state_key="@marta:matrix.org")
REACTION = event(
    "$react",
    {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$ours", "key": "👍"}},
    type_="m.reaction",
)
