"""Mastodon payloads shaped as docs.joinmastodon.org shows its entities (Status, Notification,
MediaAttachment, Instance), trimmed to the fields that matter and varied in what they carry."""

OWN_ID = "109348"
INSTANCE_HOST = "social.vilanova.example"


def account(id_, acct, name=""):
    username = acct.split("@")[0]
    return {
        "id": id_,
        "username": username,
        "acct": acct,
        "display_name": name,
        "url": f"https://{acct.split('@')[1] if '@' in acct else INSTANCE_HOST}/@{username}",
        "bot": False,
    }


OURS = account(OWN_ID, "ajuntament", "Ajuntament de Vilanova")
CITIZEN = account("110001", "marta@mastodon.social", "Marta 🌻")


def status(id_, content, *, by=CITIZEN, **fields):
    base = {
        "id": id_,
        "created_at": "2026-11-20T10:15:30.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "ca",
        "uri": f"https://mastodon.social/users/{by['username']}/statuses/{id_}",
        "url": f"https://mastodon.social/@{by['username']}/{id_}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "content": content,
        "reblog": None,
        "account": by,
        "media_attachments": [],
        "mentions": [
            {
                "id": OWN_ID,
                "username": "ajuntament",
                "acct": "ajuntament",
                "url": "https://social.vilanova.example/@ajuntament",
            }
        ],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    return {**base, **fields}


def notification(id_, type_, status_=None, *, by=CITIZEN):
    return {
        "id": id_,
        "type": type_,
        "created_at": "2026-11-20T10:15:31.000Z",
        "account": by,
        "status": status_,
    }


MENTION_LINK = (
    '<p><span class="h-card" translate="no"><a href="https://social.vilanova.example/@ajuntament" '
    'class="u-url mention">@<span>ajuntament</span></a></span> Mireu aquest enllaç: '
    '<a href="https://www.vilanova.example/agenda/festa-major-2026" target="_blank" rel="nofollow noopener" '
    'translate="no"><span class="invisible">https://www.</span>'
    '<span class="ellipsis">vilanova.example/agenda/fes'
    '</span><span class="invisible">ta-major-2026</span></a></p><p>Gràcies &amp; salut!<br />Marta</p>'
)

REPLY = status(
    "110200",
    '<p><span class="h-card"><a href="https://social.vilanova.example/@ajuntament" class="u-url mention">'
    "@<span>ajuntament</span></a></span> A quina hora obre la piscina? :piscina: 🏊‍♀️</p>",
    in_reply_to_id="110100",
    in_reply_to_account_id=OWN_ID,
    emojis=[
        {
            "shortcode": "piscina",
            "url": "https://mastodon.social/emoji/piscina.png",
            "visible_in_picker": True,
        }
    ],
)

EDITED = status(
    "110200",
    "<p>@ajuntament A quina hora obre la piscina, dissabte?</p>",
    in_reply_to_id="110100",
    in_reply_to_account_id=OWN_ID,
    edited_at="2026-11-20T10:20:00.000Z",
)

DIRECT = status(
    "110300",
    "<p>@ajuntament 私の住所の収集日はいつですか？</p>",
    visibility="direct",
    language="ja",
)

WITH_MEDIA = status(
    "110400",
    "<p>@ajuntament Hi ha un fanal trencat al carrer Major.</p>",
    spoiler_text="Incidència",
    media_attachments=[
        {
            "id": "22345792",
            "type": "image",
            "url": "https://files.mastodon.social/media_attachments/files/022/345/792/original/57859aede991da25.jpeg",
            "preview_url": "https://files.mastodon.social/media_attachments/files/022/345/792/small/57859aede991da25.jpeg",
            "remote_url": None,
            "description": "Fanal amb el vidre trencat",
            "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
        },
        {
            "id": "22345793",
            "type": "gifv",
            "url": "https://files.mastodon.social/media_attachments/files/022/345/793/original/a.mp4",
            "description": None,
        },
    ],
)

QUOTE = status(
    "110500",
    "<p>Molt bona iniciativa! ❤️</p>",
    mentions=[],
    quote={
        "state": "accepted",
        "quoted_status": status("110100", "<p>Obrim la piscina dissabte.</p>", by=OURS, mentions=[]),
    },
)

BOOST = status(
    "110600", "", reblog=status("110100", "<p>Obrim la piscina dissabte.</p>", by=OURS, mentions=[])
)

ARABIC = status("110700", "<p>مرحبا @ajuntament، متى يفتح المسبح؟</p>", language="ar")

NOTIFICATIONS = [
    notification("9003", "mention", ARABIC),
    notification("9001", "mention", REPLY),
    notification("9002", "favourite", status("110100", "<p>Obrim la piscina dissabte.</p>", by=OURS)),
    notification("9004", "reblog", BOOST),
    notification("9005", "follow"),
    notification("9006", "quote", QUOTE),
    notification("9007", "mention", None),
    notification("10000", "update", EDITED),
]

INSTANCE_V2 = {
    "domain": "mastodon.social",
    "title": "Mastodon",
    "version": "4.5.0",
    "configuration": {
        "urls": {"streaming": "wss://mastodon.social"},
        "accounts": {"max_featured_tags": 10},
        "statuses": {"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23},
        "media_attachments": {
            "supported_mime_types": [
                "image/jpeg",
                "image/png",
                "image/gif",
                "image/heic",
                "image/webp",
                "video/webm",
                "video/mp4",
                "audio/mpeg",
            ],
            "description_limit": 1500,
            "image_size_limit": 16777216,
            "image_matrix_limit": 33177600,
            "video_size_limit": 103809024,
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8294400,
        },
    },
}

INSTANCE_LONG_POSTS = {
    "uri": "fedi.example",
    "max_toot_chars": 5000,
    "configuration": {"statuses": {"max_media_attachments": 8}},
}
