"""X API v2 answers shaped as the v2 reference shows them (mentions with expansions and
includes, an edited post, a quote, media with alt text, escaped text, t.co links)."""

OWN_ID = "1476522100000000001"
OWN_TWEET = "1861000000000000001"

USERS = [
    {"id": "2244994945", "name": "Marta Puig", "username": "martapuig"},
    {"id": "783214", "name": "山田 花子", "username": "hanako_y"},
    {"id": OWN_ID, "name": "Ajuntament de Vilanova", "username": "ajvilanova"},
]

REPLY = {
    "id": "1861000000000000101",
    "edit_history_tweet_ids": ["1861000000000000101"],
    "author_id": "2244994945",
    "created_at": "2025-11-20T10:15:30.000Z",
    "conversation_id": OWN_TWEET,
    "in_reply_to_user_id": OWN_ID,
    "lang": "ca",
    "referenced_tweets": [{"type": "replied_to", "id": OWN_TWEET}],
    "text": "@ajvilanova I els horaris &amp; preus? &lt;3 https://t.co/abc123XYZ",
    "entities": {
        "mentions": [{"start": 0, "end": 11, "username": "ajvilanova", "id": OWN_ID}],
        "urls": [
            {
                "start": 42,
                "end": 65,
                "url": "https://t.co/abc123XYZ",
                "expanded_url": "https://vilanova.example/piscina/horaris",
                "display_url": "vilanova.example/piscina/horaris",
            }
        ],
    },
}
EDITED = {
    "id": "1861000000000000150",
    "edit_history_tweet_ids": ["1861000000000000120", "1861000000000000150"],
    "author_id": "783214",
    "created_at": "2025-11-20T11:00:00.000Z",
    "conversation_id": "1861000000000000120",
    "lang": "ja",
    "text": "@ajvilanova 東京から来ました。プールは何時まで？🏊",
}
QUOTE_WITH_PHOTO = {
    "id": "1861000000000000200",
    "edit_history_tweet_ids": ["1861000000000000200"],
    "author_id": "2244994945",
    "created_at": "2025-11-20T12:00:00.000Z",
    "conversation_id": "1861000000000000200",
    "lang": "und",
    "referenced_tweets": [{"type": "quoted", "id": OWN_TWEET}],
    "attachments": {"media_keys": ["3_1861000000000000999"]},
    "text": "👏👏 https://t.co/pic0000001",
    "entities": {
        "urls": [
            {
                "start": 5,
                "end": 28,
                "url": "https://t.co/pic0000001",
                "expanded_url": "https://x.com/martapuig/status/1861000000000000200/photo/1",
                "media_key": "3_1861000000000000999",
            }
        ]
    },
}
OWN = {
    "id": "1861000000000000300",
    "edit_history_tweet_ids": ["1861000000000000300"],
    "author_id": OWN_ID,
    "created_at": "2025-11-20T12:30:00.000Z",
    "text": "@martapuig Gràcies!",
}
MENTIONS = {
    # X lists the newest first.
    "data": [OWN, QUOTE_WITH_PHOTO, EDITED, REPLY],
    "includes": {
        "users": USERS,
        "tweets": [{"id": OWN_TWEET, "author_id": OWN_ID, "text": "Obrim la piscina dissabte."}],
        "media": [
            {
                "media_key": "3_1861000000000000999",
                "type": "photo",
                "url": "https://pbs.twimg.com/media/GcAbCdEfGh.jpg",
                "alt_text": "Cua a l'entrada de la piscina",
            }
        ],
    },
    "meta": {
        "result_count": 4,
        "newest_id": "1861000000000000300",
        "oldest_id": "1861000000000000101",
    },
}
EMPTY = {"meta": {"result_count": 0}}
