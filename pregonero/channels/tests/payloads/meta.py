"""Meta webhook payloads shaped as the Webhooks reference shows them: Page feed comments (add,
edited, remove, with a photo), Messenger messages, edits and unsends, Instagram comments and
Direct messages, and things that are not messages (reactions, new posts, echoes)."""

PAGE_ID = "104938175520345"
IG_ID = "17841405822304914"
POST_ID = f"{PAGE_ID}_312870471853210"
TIME = 1763633730


def page(*changes, messaging=(), page_id=PAGE_ID):
    entry = {"id": page_id, "time": TIME}
    if changes:
        entry["changes"] = list(changes)
    if messaging:
        entry["messaging"] = list(messaging)
    return {"object": "page", "entry": [entry]}


def feed(**value):
    return {"field": "feed", "value": value}


COMMENT = feed(
    **{
        "from": {"id": "6029481927364810", "name": "Marta Puig"},
        "post": {"id": POST_ID, "status_type": "added_photos", "is_published": True},
        "message": "Quina hora obre la piscina? 🏊",
        "post_id": POST_ID,
        "comment_id": f"{POST_ID.split('_')[1]}_908172635412",
        "created_time": TIME,
        "item": "comment",
        "parent_id": POST_ID,
        "verb": "add",
    }
)
REPLY_TO_COMMENT = feed(
    **{
        "from": {"id": "7712093847561234", "name": "Олена Коваль"},
        "message": "Дякую за інформацію!",
        "post_id": POST_ID,
        "comment_id": f"{POST_ID.split('_')[1]}_908172635499",
        "created_time": TIME + 60,
        "item": "comment",
        "parent_id": f"{POST_ID.split('_')[1]}_908172635412",
        "verb": "add",
        "photo": "https://scontent.xx.fbcdn.net/v/t39.1997-6/photo.jpg",
    }
)
EDITED = feed(
    **{
        "from": {"id": "6029481927364810", "name": "Marta Puig"},
        "message": "Quina hora obre la piscina diumenge? 🏊",
        "post_id": POST_ID,
        "comment_id": f"{POST_ID.split('_')[1]}_908172635412",
        "created_time": TIME + 120,
        "item": "comment",
        "parent_id": POST_ID,
        "verb": "edited",
    }
)
REMOVED = feed(
    **{
        "from": {"id": "6029481927364810", "name": "Marta Puig"},
        "post_id": POST_ID,
        "comment_id": f"{POST_ID.split('_')[1]}_908172635412",
        "created_time": TIME + 180,
        "item": "comment",
        "parent_id": POST_ID,
        "verb": "remove",
    }
)
OWN_COMMENT = feed(
    **{
        "from": {"id": PAGE_ID, "name": "Ajuntament de Vilanova"},
        "message": "A les 10 h.",
        "post_id": POST_ID,
        "comment_id": f"{POST_ID.split('_')[1]}_908172635500",
        "created_time": TIME + 200,
        "item": "comment",
        "parent_id": f"{POST_ID.split('_')[1]}_908172635412",
        "verb": "add",
    }
)
REACTION = feed(
    **{
        "from": {"id": "6029481927364810", "name": "Marta Puig"},
        "post_id": POST_ID,
        "created_time": TIME,
        "item": "reaction",
        "parent_id": POST_ID,
        "reaction_type": "love",
        "verb": "add",
    }
)
NEW_POST = feed(**{"item": "status", "post_id": POST_ID, "verb": "add", "published": 1, "created_time": TIME})

MESSENGER = {
    "sender": {"id": "24019283746512345"},
    "recipient": {"id": PAGE_ID},
    "timestamp": 1763633730123,
    "message": {
        "mid": "m_AbCdEf1234567890",
        "text": "Bon dia, com demane cita per al padró?",
        "attachments": [
            {"type": "image", "payload": {"url": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1"}}
        ],
    },
}
MESSENGER_EDIT = {
    "sender": {"id": "24019283746512345"},
    "recipient": {"id": PAGE_ID},
    "timestamp": 1763633790000,
    "message_edit": {
        "mid": "m_AbCdEf1234567890",
        "text": "Bon dia, com demane cita prèvia per al padró?",
        "num_edit": 1,
    },
}
MESSENGER_UNSENT = {
    "sender": {"id": "24019283746512345"},
    "recipient": {"id": PAGE_ID},
    "timestamp": 1763633800000,
    "message": {"mid": "m_AbCdEf1234567890", "is_deleted": True},
}
MESSENGER_ECHO = {
    "sender": {"id": PAGE_ID},
    "recipient": {"id": "24019283746512345"},
    "timestamp": 1763633900000,
    "message": {"mid": "m_echo1", "is_echo": True, "text": "Bon dia!"},
}
READ = {
    "sender": {"id": "24019283746512345"},
    "recipient": {"id": PAGE_ID},
    "timestamp": 1763633950000,
    "read": {"watermark": 1763633900000},
}

INSTAGRAM_COMMENT = {
    "object": "instagram",
    "entry": [
        {
            "id": IG_ID,
            "time": TIME,
            "changes": [
                {
                    "field": "comments",
                    "value": {
                        "from": {"id": "1784140000000001", "username": "hanako.y"},
                        "media": {"id": "18068225467012345", "media_product_type": "FEED"},
                        "id": "17865799348089039",
                        "text": "素敵な写真ですね！📸",
                    },
                },
                {
                    "field": "comments",
                    "value": {
                        "from": {"id": "1784140000000002", "username": "marta.puig"},
                        "media": {"id": "18068225467012345", "media_product_type": "FEED"},
                        "id": "17865799348089040",
                        "parent_id": "17865799348089039",
                        "text": "@hanako.y sí! 😍",
                    },
                },
            ],
        }
    ],
}
INSTAGRAM_DIRECT = {
    "object": "instagram",
    "entry": [
        {
            "id": IG_ID,
            "time": 1763633730500,
            "messaging": [
                {
                    "sender": {"id": "1122334455667788"},
                    "recipient": {"id": IG_ID},
                    "timestamp": 1763633730500,
                    "message": {
                        "mid": "aWdfZAG1faXRlbToxOklH",
                        "text": "Hola! ¿Dónde se recogen las bolsas de basura?",
                    },
                }
            ],
        }
    ],
}
