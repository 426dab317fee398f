"""app.bsky.notification.listNotifications items shaped as Bluesky's API reference shows them."""

OWN_DID = "did:plc:ajuntamentvilanova"
OWN_POST = f"at://{OWN_DID}/app.bsky.feed.post/3lbq2cmcrds2c"
CITIZEN = {"did": "did:plc:marta", "handle": "marta.bsky.social", "displayName": "Marta 🌻", "labels": []}


def notification(rkey, reason, record, indexed_at, *, author=CITIZEN):
    uri = f"at://{author['did']}/app.bsky.feed.post/{rkey}"
    return {
        "uri": uri,
        "cid": f"bafyrei{rkey}",
        "author": author,
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": indexed_at,
        "labels": [],
    }


def post(text, **fields):
    return {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-11-20T10:15:30.000Z", **fields}


STRONG = {"uri": OWN_POST, "cid": "bafyreiown"}
REPLY = notification(
    "3lbr1",
    "reply",
    post("A quina hora obre? 🏊‍♀️", langs=["ca"], reply={"root": STRONG, "parent": STRONG}),
    "2026-11-20T10:15:31.000Z",
)
MENTION = notification(
    "3lbr2",
    "mention",
    post(
        "@ajuntament.bsky.social 東京から応援しています",
        langs=["ja"],
        facets=[
            {
                "index": {"byteStart": 0, "byteEnd": 23},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": OWN_DID}],
            }
        ],
    ),
    "2026-11-20T10:16:00.000Z",
)
QUOTE_WITH_IMAGE = notification(
    "3lbr3",
    "quote",
    post(
        "Així estava el carrer ahir",
        embed={
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"$type": "app.bsky.embed.record", "record": STRONG},
            "media": {
                "$type": "app.bsky.embed.images",
                "images": [
                    {
                        "alt": "Carrer Major inundat",
                        "image": {
                            "$type": "blob",
                            "ref": {"$link": "bafkreiimg"},
                            "mimeType": "image/jpeg",
                            "size": 123456,
                        },
                        "aspectRatio": {"width": 4, "height": 3},
                    }
                ],
            },
        },
    ),
    "2026-11-20T10:17:00.000Z",
)
LIKE = notification(
    "3lbr4", "like", {"$type": "app.bsky.feed.like", "subject": STRONG}, "2026-11-20T10:18:00.000Z"
)
FOLLOW = notification(
    "3lbr5", "follow", {"$type": "app.bsky.graph.follow", "subject": OWN_DID}, "2026-11-20T10:19:00.000Z"
)
PAGE = [FOLLOW, LIKE, QUOTE_WITH_IMAGE, MENTION, REPLY]  # newest first, as the API lists them
